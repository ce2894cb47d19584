package dev.pool.endpoint;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pool.datasource.DataSourcePools;
import dev.pool.datasource.NodeProbe;
import dev.pool.datasource.PoolSettings;
import dev.pool.datasource.PoolSnapshot;

/**
 * Looks at pools' live counts, settings and (on PostgreSQL) the server's connection limit, and
 * says what is wrong and what to change.
 */
public final class PoolDiagnosis {

	private final DataSourcePools pools;

	private final String applicationName;

	public PoolDiagnosis(DataSourcePools pools, String applicationName) {
		this.pools = pools;
		this.applicationName = (applicationName != null && !applicationName.isBlank()) ? applicationName : "app";
	}

	/** Findings for the named pools; each has a pool, a level, an issue and a recommendation. */
	public List<Finding> diagnose(Collection<String> names) {
		List<Finding> findings = new ArrayList<>();
		for (String name : names) {
			PoolSettings settings = this.pools.settings().get(name);
			PoolSnapshot snapshot = PoolSnapshot.of(this.pools.pool(name));
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
			if (this.pools.pool(name).getHikariConfigMXBean().getMinimumIdle() == 0) {
				findings.add(new Finding(name, "INFO", "minimum-idle is 0",
						"The first requests after a quiet period pay for new connections (cold start); "
								+ "set minimum-idle to 1 or more if that latency matters."));
			}
			long timeouts = this.pools.trackers().timeouts(name);
			if (timeouts > 0) {
				findings.add(new Finding(name, "WARNING", timeouts + " acquisitions timed out since start",
						"Raise maximum-pool-size or find the transactions that hold connections too long."));
			}
			if (settings.leakDetectionThreshold().isZero()) {
				findings.add(new Finding(name, "INFO", "Leak detection is off",
						"Set leak-detection-threshold (for example 30s) to log where a connection was taken "
								+ "when it is held longer than that."));
			}
		}
		findings.addAll(serverLimits(names));
		return findings;
	}

	// One finding per server: this application's pool maxima against max_connections.
	private List<Finding> serverLimits(Collection<String> names) {
		Map<String, List<PoolSettings>> byServer = new LinkedHashMap<>();
		for (PoolSettings settings : this.pools.settings().values()) {
			if (settings.url().startsWith("jdbc:postgresql:")) {
				byServer.computeIfAbsent(server(settings.url()), (key) -> new ArrayList<>()).add(settings);
			}
		}
		List<Finding> findings = new ArrayList<>();
		for (List<PoolSettings> group : byServer.values()) {
			if (group.stream().noneMatch((settings) -> names.contains(settings.name()))) {
				continue;
			}
			PoolSettings first = group.get(0);
			int maxima = group.stream().mapToInt((settings) -> this.pools.pool(settings.name())
				.getHikariConfigMXBean()
				.getMaximumPoolSize()).sum();
			String poolNames = String.join(", ", group.stream().map(PoolSettings::name).toList());
			try {
				// One connection for both facts; it does not count itself.
				List<Object> row = new NodeProbe(first).queryFirstRow("SELECT current_setting('max_connections')::int, "
						+ "(SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND application_name LIKE '"
						+ this.applicationName.replace("'", "''") + ":%')");
				int maxConnections = ((Number) row.get(0)).intValue();
				long held = ((Number) row.get(1)).longValue();
				String facts = "Server max_connections is " + maxConnections + "; this application's pools (" + poolNames
						+ ") may open up to " + maxima + " and hold " + held + " now";
				if (maxima > 0.8 * maxConnections) {
					findings.add(new Finding(first.name(), "WARNING",
							facts + ": more than 80% of the server's limit",
							"Lower maximum-pool-size or raise max_connections. Every instance of this application "
									+ "opens its own pools, so N instances need N x " + maxima + " connections."));
				}
				else {
					findings.add(new Finding(first.name(), "INFO", facts,
							"Every instance of this application opens its own pools: keep instances x " + maxima
									+ " below max_connections."));
				}
			}
			catch (Exception ex) {
				findings.add(new Finding(first.name(), "INFO",
						"Could not read max_connections: " + ex.getClass().getSimpleName(),
						"Check that the database is reachable."));
			}
		}
		return findings;
	}

	private static String server(String url) {
		try {
			URI uri = URI.create(url.substring("jdbc:".length()));
			return uri.getHost() + ":" + uri.getPort();
		}
		catch (IllegalArgumentException ex) {
			return url;
		}
	}

	/**
	 * One thing the diagnosis found.
	 *
	 * @param pool the pool concerned
	 * @param level INFO or WARNING
	 * @param issue what was found
	 * @param recommendation what to do about it
	 */
	public record Finding(String pool, String level, String issue, String recommendation) {
	}

}
