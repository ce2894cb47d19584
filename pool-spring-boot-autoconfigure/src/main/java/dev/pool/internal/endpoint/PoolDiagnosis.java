package dev.pool.internal.endpoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.datasource.PoolSnapshot;
import dev.pool.internal.datasource.PoolTrackers;
import dev.pool.internal.probe.NodeProbes;
import dev.pool.internal.topology.PoolShare;
import dev.pool.internal.topology.Topology;
import org.jspecify.annotations.Nullable;

/**
 * Looks at pools' live counts, settings and (on PostgreSQL) the server's connection
 * limit, and says what is wrong and what to change.
 */
final class PoolDiagnosis {

	private final PoolTrackers trackers;

	private final String applicationName;

	private final NodeProbes probes;

	/**
	 * Creates the diagnosis.
	 * @param trackers where acquisition timeouts are counted
	 * @param applicationName the prefix of this application's connections'
	 * application_name
	 * @param probes where the servers' limits are read
	 */
	PoolDiagnosis(PoolTrackers trackers, String applicationName, NodeProbes probes) {
		this.probes = probes;
		this.trackers = trackers;
		this.applicationName = applicationName;
	}

	/**
	 * Findings for some pools, then one per PostgreSQL server they use.
	 * @param targets the pools to diagnose
	 * @param all every pool of the application, whose maxima count against each server's
	 * limit
	 * @param topology the snapshot whose fleet shares to look at
	 * @return the findings
	 */
	List<Finding> diagnose(Collection<ManagedPool> targets, List<ManagedPool> all, Topology topology) {
		List<Finding> findings = new ArrayList<>();
		for (ManagedPool pool : targets) {
			findings.addAll(poolFindings(pool.name(), pool.snapshot(), pool.dataSource().getMinimumIdle(),
					this.trackers.timeouts(pool.name()), pool.settings().leakDetectionThreshold()));
			PoolShare share = topology.share(pool);
			if (share != null) {
				Finding fleet = fleetFinding(pool.name(), share, pool.settings().minimumIdle());
				if (fleet != null) {
					findings.add(fleet);
				}
			}
		}
		findings.addAll(serverFindings(targets, all));
		return findings;
	}

	/**
	 * The rules about one pool, from facts already read.
	 * @param name the pool
	 * @param snapshot its live counts
	 * @param minimumIdle its minimum idle now
	 * @param timeouts acquisitions that timed out since start
	 * @param leakDetectionThreshold its leak detection threshold, zero when off
	 * @return what is wrong or worth knowing
	 */
	static List<Finding> poolFindings(String name, PoolSnapshot snapshot, int minimumIdle, long timeouts,
			Duration leakDetectionThreshold) {
		List<Finding> findings = new ArrayList<>();
		if (snapshot.waiting() > 0) {
			findings.add(new Finding(name, "WARNING", snapshot.waiting() + " threads are waiting for a connection",
					"Raise maximum-pool-size or shorten transactions (move slow calls out of them)."));
		}
		if (snapshot.utilization() > 0.8) {
			findings.add(new Finding(name, "WARNING",
					"Utilization is " + Math.round(snapshot.utilization() * 100) + "% (above 80%)",
					"Watch for exhaustion: requests will start waiting connection-timeout and get 503."));
		}
		if (snapshot.active() >= snapshot.max()) {
			findings.add(new Finding(name, "WARNING",
					"The pool is at its maximum (" + snapshot.max() + " connections in use)",
					"Raise maximum-pool-size if the database allows it, or reduce time spent holding connections."));
		}
		if (minimumIdle == 0) {
			findings.add(new Finding(name, "INFO", "minimum-idle is 0",
					"The first requests after a quiet period pay for new connections (cold start); "
							+ "set minimum-idle to 1 or more if that latency matters."));
		}
		if (timeouts > 0) {
			findings.add(new Finding(name, "WARNING", timeouts + " acquisitions timed out since start",
					"Raise maximum-pool-size or find the transactions that hold connections too long."));
		}
		if (leakDetectionThreshold.isZero()) {
			findings.add(new Finding(name, "INFO", "Leak detection is off",
					"Set leak-detection-threshold (for example 30s) to log where a connection was taken "
							+ "when it is held longer than that."));
		}
		return findings;
	}

	/**
	 * The rule about a fleet budget: every instance needs its minimum-idle connections
	 * and its fleet session on the node.
	 * @param pool the pool
	 * @param share its share now
	 * @param minimumIdle its configured minimum idle
	 * @return a warning when the budget is below what the instances seen need at least,
	 * else {@code null}
	 */
	static @Nullable Finding fleetFinding(String pool, PoolShare share, int minimumIdle) {
		if (!share.inFleet()) {
			return null;
		}
		int slots = share.budget() - share.reserve();
		int needed = share.instances() * (Math.max(1, minimumIdle) + 1);
		if (slots >= needed) {
			return null;
		}
		return new Finding(pool, "WARNING",
				"The fleet budget leaves " + slots + " connections after the reserve for " + share.instances()
						+ " instances, which need " + needed + " at least (minimum-idle " + minimumIdle
						+ " and a fleet session each)",
				"Raise app.datasource.fleet.max-connections, lower minimum-idle, or run fewer instances: "
						+ "some instances get less than their minimum.");
	}

	/**
	 * The rule about one server: this application's pool maxima against its connection
	 * limit.
	 * @param pool the first pool on the server, named in the finding
	 * @param poolNames every pool of this application on the server
	 * @param maxConnections the server's {@code max_connections}
	 * @param held connections this application holds there now
	 * @param maxima the sum of those pools' maximum sizes
	 * @return the finding
	 */
	static Finding serverFinding(String pool, String poolNames, int maxConnections, long held, int maxima) {
		String facts = "Server max_connections is " + maxConnections + "; this application's pools (" + poolNames
				+ ") may open up to " + maxima + " and hold " + held + " now";
		if (maxima > 0.8 * maxConnections) {
			return new Finding(pool, "WARNING", facts + ": more than 80% of the server's limit",
					"Lower maximum-pool-size or raise max_connections. Every instance of this application "
							+ "opens its own pools, so N instances need N x " + maxima + " connections.");
		}
		return new Finding(pool, "INFO", facts,
				"Every instance of this application opens its own pools: keep instances x " + maxima
						+ " below max_connections.");
	}

	private List<Finding> serverFindings(Collection<ManagedPool> targets, List<ManagedPool> all) {
		List<Finding> findings = new ArrayList<>();
		for (Map.Entry<String, List<ManagedPool>> server : ServerConnections.byServer(all).entrySet()) {
			List<ManagedPool> group = server.getValue();
			if (group.stream().noneMatch(targets::contains)) {
				continue;
			}
			ManagedPool first = group.get(0);
			// The configured bound, or the live one when raised above it: a fleet moves
			// the live maximum below it.
			int maxima = group.stream()
				.mapToInt((pool) -> Math.max(pool.settings().maximumPoolSize(), pool.dataSource().getMaximumPoolSize()))
				.sum();
			String poolNames = String.join(", ", group.stream().map(ManagedPool::name).toList());
			try {
				ServerConnections.Limits limits = ServerConnections.read(this.probes.probe(first.settings()),
						this.applicationName);
				findings.add(serverFinding(first.name(), poolNames, limits.maxConnections(), limits.heldByApplication(),
						maxima));
			}
			catch (Exception ex) {
				findings.add(new Finding(first.name(), "INFO",
						"Could not read max_connections: " + ex.getClass().getSimpleName(),
						"Check that the database is reachable."));
			}
		}
		return findings;
	}

	/**
	 * One thing the diagnosis found.
	 *
	 * @param pool the pool concerned
	 * @param level INFO or WARNING
	 * @param issue what was found
	 * @param recommendation what to do about it
	 */
	record Finding(String pool, String level, String issue, String recommendation) {
	}

}
