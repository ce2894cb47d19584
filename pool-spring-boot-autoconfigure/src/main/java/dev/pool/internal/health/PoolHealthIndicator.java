package dev.pool.internal.health;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.pool.internal.datasource.DataSourcePools;
import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.probe.NodeProbe;
import dev.pool.internal.probe.NodeProbes;
import dev.pool.internal.tenant.TenantRegistry;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.internal.topology.PrimaryNode;
import dev.pool.internal.topology.ReplicaNode;
import dev.pool.internal.topology.Topology;
import dev.pool.internal.topology.Views;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code db} health component: its status follows the primary alone (validated on a
 * connection of its own, so a saturated pool is not reported as a dead database);
 * replicas, saturation and the topology source appear in the details but never turn the
 * application DOWN. Renders the current topology snapshot in the vocabulary of
 * {@link Views}, plus what its own probes found.
 */
public final class PoolHealthIndicator extends AbstractHealthIndicator implements AutoCloseable {

	private final LiveTopology topology;

	private final Map<ManagedPool, NodeProbe> extraProbes = new LinkedHashMap<>();

	private final @Nullable TenantRegistry tenants;

	// The probe of the current primary's pool; replaced when another pool becomes the
	// primary. Guarded by this.
	private @Nullable ManagedPool probed;

	private @Nullable NodeProbe primaryProbe;

	private final NodeProbes probes;

	/**
	 * Creates the indicator.
	 * @param topology the primary and replicas to show
	 * @param pools the pools, whose extra datasources to show
	 * @param tenants the tenants, whose summary to show, or {@code null} without tenancy
	 * @param probes where the checks run
	 */
	public PoolHealthIndicator(LiveTopology topology, DataSourcePools pools, @Nullable TenantRegistry tenants,
			NodeProbes probes) {
		super("Database health check failed");
		this.probes = probes;
		this.topology = topology;
		this.tenants = tenants;
		for (ManagedPool pool : pools.extras()) {
			this.extraProbes.put(pool, probes.probe(pool.settings()));
		}
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Topology topology = this.topology.current();
		PrimaryNode primary = topology.primary();
		NodeProbe.Result result = primaryProbe(primary.pool()).check(false);
		Map<String, @Nullable Object> details = probed(primary.pool(), result);
		details.putAll(Views.member(primary));
		details.put("circuitBreaker", Views.breaker(primary.breaker()));
		builder.status((result.reachable() || result.refused()) ? "UP" : "DOWN")
			.withDetail(DataSourcePools.PRIMARY, details);
		for (ReplicaNode replica : topology.replicas()) {
			Map<String, @Nullable Object> replicaDetails = Views.pool(replica.pool());
			replicaDetails.put("status", replica.status());
			replicaDetails.put("replica", Views.replica(replica));
			builder.withDetail(replica.name(), replicaDetails);
		}
		// Extra datasources and tenants are shown, but only the primary decides the
		// status: one tenant or a reporting database never takes the application DOWN.
		this.extraProbes.forEach((pool, probe) -> builder.withDetail(pool.name(), probed(pool, probe.check(false))));
		if (this.tenants != null) {
			builder.withDetail("tenants", this.tenants.summary().describe());
		}
		builder.withDetail("topology", Views.topology(topology));
	}

	private static Map<String, @Nullable Object> probed(ManagedPool pool, NodeProbe.Result result) {
		Map<String, @Nullable Object> details = Views.pool(pool);
		// A server that refuses new sessions (too many connections, a login being
		// rotated) is up: the connections it has keep working.
		details.put("status", (result.reachable() || result.refused()) ? "UP" : "DOWN");
		details.put("validationMs", Views.round(result.latencyMillis(), 100));
		if (result.refused()) {
			details.put("newConnections", "refused: " + result.error());
		}
		else if (!result.reachable()) {
			details.put("error", result.error());
		}
		return details;
	}

	private synchronized NodeProbe primaryProbe(ManagedPool primary) {
		NodeProbe probe = this.primaryProbe;
		if (probe == null || this.probed != primary) {
			if (probe != null) {
				probe.close();
			}
			probe = this.probes.probe(primary.settings());
			this.primaryProbe = probe;
			this.probed = primary;
		}
		return probe;
	}

	/** Gives up a check still stuck in the driver. */
	@Override
	public synchronized void close() {
		if (this.primaryProbe != null) {
			this.primaryProbe.close();
		}
		this.extraProbes.values().forEach(NodeProbe::close);
	}

}
