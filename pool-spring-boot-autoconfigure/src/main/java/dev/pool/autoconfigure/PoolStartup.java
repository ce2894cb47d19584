package dev.pool.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import dev.pool.TopologySource;
import dev.pool.internal.datasource.DataSourcePools;
import dev.pool.internal.datasource.JdbcUrls;
import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.datasource.PoolSettings;
import dev.pool.internal.discovery.NodePools;
import dev.pool.internal.failure.ConnectionFailures;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.internal.topology.PrimaryGuard;
import dev.pool.internal.topology.PrimaryNode;
import dev.pool.internal.topology.ReplicaNode;
import dev.pool.internal.topology.SourceState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/**
 * What the application starts with: the settings, validated; for a topology source, its
 * first answer (for a source that names the primary, read until it names one, within the
 * primary's connection-timeout); and the pools started from them. The topology is built
 * from this once.
 */
final class PoolStartup {

	private static final Log logger = LogFactory.getLog(PoolStartup.class);

	private final PoolSettingsFactory factory;

	private final PrimaryConnection primaryConnection;

	private final DataSourcePools pools;

	private final @Nullable TopologySource source;

	// The first answer's nodes by pool name, for their addresses; empty for a static
	// topology.
	private final Map<String, TopologySource.Node> discovered;

	private final SourceState sourceState;

	private PoolStartup(PoolSettingsFactory factory, PrimaryConnection primaryConnection, DataSourcePools pools,
			@Nullable TopologySource source, Map<String, TopologySource.Node> discovered, SourceState sourceState) {
		this.factory = factory;
		this.primaryConnection = primaryConnection;
		this.pools = pools;
		this.source = source;
		this.discovered = discovered;
		this.sourceState = sourceState;
	}

	/**
	 * Validates the settings, reads the topology source once if there is one, and starts
	 * the pools.
	 */
	static PoolStartup start(PoolProperties properties, PoolSettingsFactory factory,
			DataSourceProperties dataSourceProperties, Map<String, JdbcConnectionDetails> replicaDetails,
			@Nullable TopologySource source, @Nullable MetricsTrackerFactory trackers,
			PrimaryConnectionSupplier staticPrimary) {
		factory.validateFeatures();
		factory.validateConsistency();
		factory.validateTopology(source != null);
		boolean fleet = PoolSettingsFactory.fleetOn(properties);
		List<PoolSettings> extras = factory.extras();
		if (source == null) {
			PrimaryConnection primary = staticPrimary.get();
			PoolSettings primarySettings = factory.primary(primary);
			List<PoolSettings> replicas = factory.replicas(primarySettings, replicaDetails);
			factory.fallbackMaxConnections(primarySettings);
			if (fleet) {
				factory.validateFleet(primarySettings, replicas);
			}
			DataSourcePools pools = DataSourcePools.start(primarySettings, replicas, extras, primary.source(),
					trackers);
			pools.afterClose(EmbeddedDatabaseShutdown.of(primary));
			return new PoolStartup(factory, primary, pools, null, Map.of(), SourceState.STATIC);
		}
		String kind = properties.getTopology().getSource().name().toLowerCase(Locale.ROOT);
		if (!replicaDetails.isEmpty()) {
			throw new InvalidPoolConfigurationException("app.datasource.topology.source", kind,
					"ReplicaConnectionDetails beans name replicas " + replicaDetails.keySet()
							+ ", but the replicas come from the topology source",
					"Use a static topology with those connection details, or remove the ReplicaConnectionDetails beans.");
		}
		SourceState state = new SourceState(kind, source.describe(), false, "not read yet", 0,
				properties.getTopology().getRefreshInterval().toMillis());
		TopologySource.Nodes answer = null;
		PrimaryConnection primary;
		if (source.namesPrimary()) {
			Duration patience = factory.primaryConnectionTimeout();
			answer = readUntilPrimary(source, patience);
			TopologySource.Node leader = answer.primary();
			primary = PrimaryConnectionResolver.fromSource(properties, dataSourceProperties, factory.nodeUrl(leader),
					"the topology source (" + source.describe() + "), leader '" + leader.name() + "'");
			state = state.answered(state.refreshMillis());
		}
		else {
			primary = staticPrimary.get();
			try {
				answer = source.read();
				// The answer's own lower bound (a DNS TTL) counts from the first read.
				state = state.answered(Math.max(state.refreshMillis(), answer.validFor().toMillis()));
			}
			catch (Exception ex) {
				String why = ConnectionFailures.describe(ex);
				logger.warn("Topology source cannot be read at startup (" + source.describe() + "): " + why
						+ "; starting without replicas and trying again every "
						+ properties.getTopology().getRefreshInterval().toMillis() + "ms");
				state = state.failed(why, state.refreshMillis());
			}
		}
		PoolSettings primarySettings = source.namesPrimary() ? factory.discoveredPrimary(primary, true)
				: factory.primary(primary);
		factory.validateReplicaOverrides(primarySettings);
		factory.fallbackMaxConnections(primarySettings);
		if (fleet) {
			factory.validateFleet(primarySettings, List.of());
		}
		Map<String, TopologySource.Node> discovered = new LinkedHashMap<>();
		List<PoolSettings> replicas = new ArrayList<>();
		if (answer != null) {
			List<TopologySource.Node> nodes = new ArrayList<>(answer.replicas());
			TopologySource.Node leader = answer.primary();
			nodes.removeIf((node) -> (leader != null && node.name().equals(leader.name()))
					|| node.name().equals(DataSourcePools.PRIMARY));
			nodes.sort(Comparator.comparing(TopologySource.Node::name));
			int max = properties.getTopology().getMaxReplicas();
			if (nodes.size() > max) {
				logger.warn("Topology source names " + nodes.size()
						+ " replicas, more than app.datasource.topology.max-replicas (" + max + "): the first " + max
						+ " by name take reads");
				nodes = nodes.subList(0, max);
			}
			for (TopologySource.Node node : nodes) {
				if (discovered.putIfAbsent(node.name(), node) == null) {
					replicas.add(factory.discoveredReplica(node, primarySettings));
				}
			}
		}
		DataSourcePools pools = DataSourcePools.start(primarySettings, replicas, extras, primary.source(), trackers);
		TopologySource.Node leader = (answer != null) ? answer.primary() : null;
		if (leader != null) {
			discovered.put(DataSourcePools.PRIMARY, leader);
		}
		logger.info("Topology from " + source.describe() + ": primary "
				+ ((leader != null) ? "'" + leader.name() + "' (" + leader.address() + ")"
						: JdbcUrls.withoutCredentials(primarySettings.url()))
				+ ", replicas " + discovered.keySet().stream().filter((name) -> !name.equals("primary")).toList());
		return new PoolStartup(factory, primary, pools, source, discovered, state);
	}

	// A source that names the primary must name one before the pools can start: asked
	// every 250 ms until it does, within the primary's connection-timeout.
	private static TopologySource.Nodes readUntilPrimary(TopologySource source, Duration patience) {
		long deadline = System.nanoTime() + patience.toNanos();
		String last = "no answer";
		while (true) {
			try {
				TopologySource.Nodes answer = source.read();
				if (answer.primary() != null) {
					return answer;
				}
				last = "the answer names no primary (an election may be under way)";
			}
			catch (Exception ex) {
				last = ConnectionFailures.describe(ex);
			}
			if (System.nanoTime() - deadline >= 0) {
				throw new InvalidPoolConfigurationException("app.datasource.topology.source", source.describe(),
						"named no primary within the primary's connection-timeout (" + patience.toMillis() + "ms): "
								+ last,
						"Check that the source is reachable from here and that the cluster has a leader, "
								+ "or raise app.datasource.primary.connection-timeout.");
			}
			try {
				Thread.sleep(250);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while reading the topology source", ex);
			}
		}
	}

	DataSourcePools pools() {
		return this.pools;
	}

	@Nullable TopologySource source() {
		return this.source;
	}

	PoolSettingsFactory factory() {
		return this.factory;
	}

	/**
	 * The topology at version 1: the primary behind its breaker, the replicas (configured
	 * ones admitted, discovered ones joining).
	 */
	LiveTopology topology(NodePools nodes) {
		ManagedPool primaryPool = this.pools.initialPrimary();
		PrimaryGuard guard = nodes.guard(primaryPool);
		TopologySource.Node leader = this.discovered.get(DataSourcePools.PRIMARY);
		PrimaryNode primary = (leader != null)
				? new PrimaryNode(primaryPool, guard, guard.breaker(), leader.name(), leader.address())
				: PrimaryNode.configured(primaryPool, guard);
		List<ReplicaNode> replicas = new ArrayList<>();
		for (ManagedPool replica : this.pools.initialReplicas()) {
			TopologySource.Node node = this.discovered.get(replica.name());
			replicas.add((node != null) ? ReplicaNode.joining(replica, node.address(), node.lagBytes())
					: ReplicaNode.configured(replica));
		}
		return new LiveTopology(primary, replicas, this.sourceState, this.source != null);
	}

	/** Node pools built from these settings. */
	NodePools nodePools(GuardFactory guards) {
		PoolSettings primarySettings = this.pools.initialPrimary().settings();
		return new NodePools() {

			@Override
			public PoolSettings primary(TopologySource.Node node) {
				PrimaryConnection connection = new PrimaryConnection(PoolStartup.this.factory.nodeUrl(node),
						PoolStartup.this.primaryConnection.username(), PoolStartup.this.primaryConnection.password(),
						PoolStartup.this.primaryConnection.driverClassName(), "the topology source");
				return PoolStartup.this.factory.discoveredPrimary(connection, false);
			}

			@Override
			public PoolSettings replica(TopologySource.Node node) {
				return PoolStartup.this.factory.discoveredReplica(node, primarySettings);
			}

			@Override
			public PrimaryGuard guard(ManagedPool primary) {
				return guards.guard(primary);
			}

		};
	}

	/** Where the static primary's connection comes from, resolved only when needed. */
	@FunctionalInterface
	interface PrimaryConnectionSupplier {

		PrimaryConnection get();

	}

	/** A breaker for a primary pool. */
	@FunctionalInterface
	interface GuardFactory {

		PrimaryGuard guard(ManagedPool primary);

	}

}
