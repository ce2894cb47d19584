package dev.pool.internal.datasource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.pool.HikariPool;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Owns the primary and replica {@link HikariDataSource pools}: creates them from
 * validated settings and closes them all when the application context closes.
 */
public final class DataSourcePools implements AutoCloseable {

	/** The name of the read-write pool, reserved. */
	public static final String PRIMARY = "primary";

	private static final Log logger = LogFactory.getLog(DataSourcePools.class);

	private final List<ManagedPool> all;

	private final Map<String, ManagedPool> byName;

	private final List<ManagedPool> replicas;

	private final List<ManagedPool> routed;

	private volatile Runnable afterClose = () -> {
	};

	private DataSourcePools(List<ManagedPool> all) {
		this.all = List.copyOf(all);
		Map<String, ManagedPool> byName = new LinkedHashMap<>();
		all.forEach((pool) -> byName.put(pool.name(), pool));
		this.byName = Collections.unmodifiableMap(byName);
		this.replicas = all.stream().filter((pool) -> pool.role() == PoolRole.REPLICA).toList();
		this.routed = all.stream().filter((pool) -> pool.role() != PoolRole.EXTRA).toList();
	}

	/**
	 * Starts the primary pool (failing fast unless told otherwise) and every replica pool
	 * (never blocking startup).
	 * @param primary the primary's settings
	 * @param replicas every replica's settings, in configuration order
	 * @param extras every extra datasource's settings, in configuration order
	 * @param primarySource where the primary's connection settings came from, for
	 * messages
	 * @param trackers the metrics tracker factory of every pool, or {@code null} for
	 * none: HikariCP then skips the clock reads it makes for metrics on every borrow and
	 * return
	 * @return the started pools
	 */
	public static DataSourcePools start(PoolSettings primary, List<PoolSettings> replicas, List<PoolSettings> extras,
			String primarySource, @Nullable MetricsTrackerFactory trackers) {
		List<PoolSettings> settings = new ArrayList<>();
		settings.add(primary);
		settings.addAll(replicas);
		settings.addAll(extras);
		List<ManagedPool> pools = new ArrayList<>();
		try {
			for (PoolSettings pool : settings) {
				PoolEventRelay events = new PoolEventRelay();
				HikariDataSource dataSource = start(pool, primarySource, events);
				// Set once, now: HikariCP takes a tracker factory only once per started
				// pool, and Boot's meter binder leaves pools that have one alone.
				if (trackers != null) {
					dataSource.setMetricsTrackerFactory(trackers);
				}
				pools.add(new ManagedPool(pool, dataSource, pools.size(), events));
			}
		}
		catch (RuntimeException ex) {
			pools.forEach((pool) -> pool.dataSource().close());
			throw ex;
		}
		logger.info("Started pools " + describe(settings));
		return new DataSourcePools(pools);
	}

	/**
	 * Starts one pool outside the set, such as a tenant's: it connects on first use and
	 * reports to the tracker factory from the start, so its meters go when it closes.
	 * @param settings the pool's settings
	 * @param trackers the metrics tracker factory, or {@code null} for none
	 * @return the started pool, with no index among the set's
	 */
	public static ManagedPool startOne(PoolSettings settings, @Nullable MetricsTrackerFactory trackers) {
		PoolEventRelay events = new PoolEventRelay();
		HikariConfig config = settings.toHikariConfig(events);
		if (trackers != null) {
			config.setMetricsTrackerFactory(trackers);
		}
		return new ManagedPool(settings, new HikariDataSource(config), -1, events);
	}

	private static HikariDataSource start(PoolSettings settings, String primarySource, PoolEvents events) {
		try {
			return new HikariDataSource(settings.toHikariConfig(events));
		}
		catch (HikariPool.PoolInitializationException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new PoolStartupException(settings.name(), JdbcUrls.withoutCredentials(settings.url()), primarySource,
					cause);
		}
	}

	private static String describe(List<PoolSettings> settings) {
		List<String> parts = new ArrayList<>();
		for (PoolSettings pool : settings) {
			parts.add(pool.name() + " (" + pool.role().name().toLowerCase(Locale.ROOT) + ", max "
					+ pool.maximumPoolSize() + ", " + JdbcUrls.withoutCredentials(pool.url()) + ")");
		}
		return String.join(", ", parts);
	}

	/**
	 * The primary pool.
	 * @return the primary
	 */
	public ManagedPool primary() {
		return this.all.get(0);
	}

	/**
	 * The replica pools, in configuration order.
	 * @return the replicas, empty when none is configured
	 */
	public List<ManagedPool> replicas() {
		return this.replicas;
	}

	/**
	 * The pools the router borrows from: the primary and the replicas, in index order.
	 * @return the routed pools
	 */
	public List<ManagedPool> routed() {
		return this.routed;
	}

	/**
	 * Every pool, primary first, in index order (extra datasources last).
	 * @return every pool
	 */
	public List<ManagedPool> all() {
		return this.all;
	}

	/**
	 * Every pool name, primary first.
	 * @return the names in index order
	 */
	public List<String> names() {
		return List.copyOf(this.byName.keySet());
	}

	/**
	 * A pool by name.
	 * @param name the pool name
	 * @return the pool, or {@code null} when there is none of that name
	 */
	public @Nullable ManagedPool find(String name) {
		return this.byName.get(name);
	}

	/**
	 * A pool by name.
	 * @param name the pool name
	 * @return the pool
	 * @throws IllegalArgumentException when there is no pool of that name
	 */
	public ManagedPool get(String name) {
		ManagedPool pool = this.byName.get(name);
		if (pool == null) {
			throw new IllegalArgumentException("No pool named '" + name + "'; pools: " + this.byName.keySet());
		}
		return pool;
	}

	/**
	 * Runs an action once every pool has been closed, for example dropping an in-memory
	 * database only this application used.
	 * @param action the action
	 */
	public void afterClose(Runnable action) {
		this.afterClose = action;
	}

	/**
	 * A pool's HikariCP data source by name, the factory method of each pool's own bean.
	 * @param name the pool name
	 * @return the pool's data source
	 * @throws IllegalArgumentException when there is no pool of that name
	 */
	public HikariDataSource dataSource(String name) {
		return get(name).dataSource();
	}

	/**
	 * Closes every pool that is still open, replicas first, then runs the after-close
	 * action.
	 */
	@Override
	public void close() {
		List<ManagedPool> reversed = new ArrayList<>(this.all);
		Collections.reverse(reversed);
		for (ManagedPool pool : reversed) {
			if (!pool.dataSource().isClosed()) {
				pool.dataSource().close();
				logger.info("Closed pool '" + pool.name() + "'");
			}
		}
		Runnable action = this.afterClose;
		this.afterClose = () -> {
		};
		action.run();
	}

}
