package dev.pool.datasource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Owns the primary and replica {@link HikariDataSource pools}: creates them from validated
 * settings and closes them all when the application context closes.
 */
public final class DataSourcePools implements AutoCloseable {

	/** The name of the read-write pool, reserved. */
	public static final String PRIMARY = "primary";

	private static final Log logger = LogFactory.getLog(DataSourcePools.class);

	private final Map<String, PoolSettings> settings;

	private final Map<String, HikariDataSource> pools;

	private final PoolMetricsTrackerFactory trackers;

	private DataSourcePools(Map<String, PoolSettings> settings, Map<String, HikariDataSource> pools,
			PoolMetricsTrackerFactory trackers) {
		this.settings = Collections.unmodifiableMap(settings);
		this.pools = Collections.unmodifiableMap(pools);
		this.trackers = trackers;
	}

	/**
	 * Starts the primary pool (failing fast unless told otherwise) and every replica pool
	 * (never blocking startup), each reporting to the given tracker factory.
	 * @param trackers the metrics tracker of every pool, or {@code null} for none: HikariCP then
	 * skips the clock reads it makes for metrics on every borrow and return
	 */
	public static DataSourcePools start(PoolSettings primary, List<PoolSettings> replicas, String primarySource,
			PoolMetricsTrackerFactory trackers) {
		Map<String, PoolSettings> settings = new LinkedHashMap<>();
		Map<String, HikariDataSource> pools = new LinkedHashMap<>();
		settings.put(primary.name(), primary);
		replicas.forEach((replica) -> settings.put(replica.name(), replica));
		try {
			for (PoolSettings pool : settings.values()) {
				HikariDataSource dataSource = start(pool, primarySource);
				// Set once, now: HikariCP takes a tracker factory only once per started pool, and
				// Boot's meter binder leaves pools that have one alone (ours forwards to Micrometer).
				if (trackers != null) {
					dataSource.setMetricsTrackerFactory(trackers);
				}
				pools.put(pool.name(), dataSource);
			}
		}
		catch (RuntimeException ex) {
			pools.values().forEach(HikariDataSource::close);
			throw ex;
		}
		logger.info("Started pools " + describe(settings.values()));
		return new DataSourcePools(settings, pools, trackers);
	}

	private static HikariDataSource start(PoolSettings settings, String primarySource) {
		try {
			return new HikariDataSource(settings.toHikariConfig());
		}
		catch (HikariPool.PoolInitializationException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new PoolStartupException(settings.name(), JdbcUrls.withoutCredentials(settings.url()),
					primarySource, cause);
		}
	}

	private static String describe(Iterable<PoolSettings> settings) {
		List<String> parts = new ArrayList<>();
		for (PoolSettings pool : settings) {
			parts.add(pool.name() + " (" + pool.role().name().toLowerCase() + ", max " + pool.maximumPoolSize() + ", "
					+ JdbcUrls.withoutCredentials(pool.url()) + ")");
		}
		return String.join(", ", parts);
	}

	/** The primary pool. */
	public HikariDataSource primary() {
		return this.pools.get(PRIMARY);
	}

	/** A pool by name. */
	public HikariDataSource pool(String name) {
		HikariDataSource pool = this.pools.get(name);
		if (pool == null) {
			throw new IllegalArgumentException("No pool named '" + name + "'; pools: " + this.pools.keySet());
		}
		return pool;
	}

	/** Every pool by name, primary first. */
	public Map<String, HikariDataSource> pools() {
		return this.pools;
	}

	/** Every pool's effective settings by name, primary first. */
	public Map<String, PoolSettings> settings() {
		return this.settings;
	}

	/**
	 * The metrics tracker every pool reports to (acquisition timeouts, Micrometer forwarding).
	 * @throws IllegalStateException when the pools were started without one
	 */
	public PoolMetricsTrackerFactory trackers() {
		if (this.trackers == null) {
			throw new IllegalStateException("The pools were started without a metrics tracker");
		}
		return this.trackers;
	}

	/** The replica pool names, in configuration order. */
	public List<String> replicaNames() {
		return this.settings.values().stream().filter((s) -> s.role() == PoolRole.REPLICA).map(PoolSettings::name)
				.toList();
	}

	/** Closes every pool that is still open. */
	@Override
	public void close() {
		List<String> names = new ArrayList<>(this.pools.keySet());
		Collections.reverse(names);
		for (String name : names) {
			HikariDataSource pool = this.pools.get(name);
			if (!pool.isClosed()) {
				pool.close();
				logger.info("Closed pool '" + name + "'");
			}
		}
	}

}
