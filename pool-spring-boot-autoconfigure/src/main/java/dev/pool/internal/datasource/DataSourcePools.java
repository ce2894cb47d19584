package dev.pool.internal.datasource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.pool.HikariPool;
import dev.pool.internal.credentials.LiveCredentials;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Owns the HikariCP pools: starts the ones configured at startup (primary, replicas,
 * extra datasources), opens and retires the ones a topology source brings and takes away
 * at runtime, and closes whatever is still open when the application context closes.
 * Which pool is the primary or a replica now is the topology's business, not this
 * class's.
 */
public final class DataSourcePools implements AutoCloseable {

	/** The name of the read-write pool, reserved. */
	public static final String PRIMARY = "primary";

	private static final Log logger = LogFactory.getLog(DataSourcePools.class);

	// How often a retired pool is looked at until its borrowed connections are back.
	private static final long RETIRE_POLL_MILLIS = 50;

	private final List<ManagedPool> initial;

	private final @Nullable MetricsTrackerFactory trackers;

	private final Object lock = new Object();

	// Every pool not closed yet, retiring ones included; guarded by lock.
	private final List<ManagedPool> open;

	// Slots of the open pools; guarded by lock.
	private final BitSet slots = new BitSet();

	private volatile @Nullable ScheduledExecutorService retirements;

	private volatile boolean closed;

	private volatile Runnable afterClose = () -> {
	};

	private DataSourcePools(List<ManagedPool> initial, @Nullable MetricsTrackerFactory trackers) {
		this.initial = List.copyOf(initial);
		this.trackers = trackers;
		this.open = new ArrayList<>(initial);
		initial.forEach((pool) -> this.slots.set(pool.index()));
	}

	/**
	 * Starts the primary pool (failing fast unless told otherwise) and every replica and
	 * extra pool (never blocking startup).
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
				pools.add(start(pool, pools.size(), primarySource, trackers));
			}
		}
		catch (RuntimeException ex) {
			pools.forEach((pool) -> pool.dataSource().close());
			throw ex;
		}
		logger.info("Started pools " + describe(settings));
		return new DataSourcePools(pools, trackers);
	}

	/**
	 * Starts one pool outside the set, such as a tenant's: it connects on first use and
	 * reports to the tracker factory from the start, so its meters go when it closes.
	 * @param settings the pool's settings
	 * @param trackers the metrics tracker factory, or {@code null} for none
	 * @return the started pool, with no slot among the set's
	 */
	public static ManagedPool startOne(PoolSettings settings, @Nullable MetricsTrackerFactory trackers) {
		PoolEventRelay events = new PoolEventRelay();
		LiveCredentials credentials = new LiveCredentials(settings.credentials());
		HikariConfig config = settings.toHikariConfig(events, credentials);
		if (trackers != null) {
			config.setMetricsTrackerFactory(trackers);
		}
		return new ManagedPool(settings, new HikariDataSource(config), -1, events, credentials);
	}

	private static ManagedPool start(PoolSettings settings, int slot, String primarySource,
			@Nullable MetricsTrackerFactory trackers) {
		PoolEventRelay events = new PoolEventRelay();
		LiveCredentials credentials = new LiveCredentials(settings.credentials());
		HikariConfig config = settings.toHikariConfig(events, credentials);
		// Set before the pool starts: HikariCP takes a tracker factory only once per
		// pool, and Boot's meter binder leaves pools that have one alone.
		if (trackers != null) {
			config.setMetricsTrackerFactory(trackers);
		}
		try {
			return new ManagedPool(settings, new HikariDataSource(config), slot, events, credentials);
		}
		catch (HikariPool.PoolInitializationException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new PoolStartupException(settings.name(), JdbcUrls.withoutCredentials(settings.url()), primarySource,
					cause);
		}
	}

	/**
	 * The failure that stops startup when a pool that fails fast could not reach its node
	 * in another way than through its own first connection (a fleet's first settlement).
	 * @param settings the pool's settings
	 * @param cause why it could not connect
	 * @return the exception, explained at startup as an unreachable primary is
	 */
	public static RuntimeException unreachableAtStartup(PoolSettings settings, Throwable cause) {
		return new PoolStartupException(settings.name(), JdbcUrls.withoutCredentials(settings.url()),
				settings.propertyPrefix(), cause);
	}

	/**
	 * Opens a pool while the application runs, for a node a topology source named: it
	 * never waits for its first connection (HikariCP fills it in the background).
	 * @param settings the pool's settings, with an initialization-fail-timeout that does
	 * not block
	 * @return the pool
	 * @throws IllegalStateException once the pools are closed
	 */
	public ManagedPool open(PoolSettings settings) {
		synchronized (this.lock) {
			if (this.closed) {
				throw new IllegalStateException("The pools are closed; not opening '" + settings.name() + "'");
			}
			int slot = this.slots.nextClearBit(0);
			ManagedPool pool = start(settings, slot, settings.propertyPrefix(), this.trackers);
			this.slots.set(slot);
			this.open.add(pool);
			logger.info("Opened pool " + describe(List.of(settings)));
			return pool;
		}
	}

	/**
	 * Closes a pool no borrow will reach any more once its borrowed connections are back,
	 * or after the drain timeout, whichever comes first (connections still out are then
	 * aborted, as at shutdown).
	 * @param pool the pool, already out of routing
	 * @param drainTimeout how long its borrowed connections may take to come back
	 * @param why what happened to its node, for the log
	 */
	public void retire(ManagedPool pool, Duration drainTimeout, String why) {
		long deadline = System.nanoTime() + drainTimeout.toNanos();
		int activeAtStart = pool.activeConnections();
		logger.info("Pool '" + pool.name() + "' retired (" + why + "): " + activeAtStart
				+ " borrowed connections may finish within " + drainTimeout.toMillis() + "ms");
		retirements().execute(() -> closeWhenIdle(pool, deadline, activeAtStart, System.nanoTime()));
	}

	// Polled: HikariCP offers no notification when a connection comes back.
	private void closeWhenIdle(ManagedPool pool, long deadline, int activeAtStart, long start) {
		int active = pool.activeConnections();
		if (active > 0 && System.nanoTime() - deadline < 0 && !this.closed) {
			retirements().schedule(() -> closeWhenIdle(pool, deadline, activeAtStart, start), RETIRE_POLL_MILLIS,
					TimeUnit.MILLISECONDS);
			return;
		}
		if (close(pool)) {
			String line = "Pool '" + pool.name() + "' closed after retirement: " + activeAtStart + " active at start, "
					+ (System.nanoTime() - start) / 1_000_000 + "ms, " + active + " closed by force";
			if (active > 0) {
				logger.warn(line);
			}
			else {
				logger.info(line);
			}
		}
	}

	private ScheduledExecutorService retirements() {
		ScheduledExecutorService executor = this.retirements;
		if (executor == null) {
			synchronized (this.lock) {
				executor = this.retirements;
				if (executor == null) {
					CustomizableThreadFactory threads = new CustomizableThreadFactory("pool-retire-");
					threads.setDaemon(true);
					ScheduledThreadPoolExecutor created = new ScheduledThreadPoolExecutor(1, threads);
					created.setRemoveOnCancelPolicy(true);
					this.retirements = created;
					executor = created;
				}
			}
		}
		return executor;
	}

	// True when this call closed it.
	private boolean close(ManagedPool pool) {
		synchronized (this.lock) {
			if (!this.open.remove(pool)) {
				return false;
			}
		}
		pool.dataSource().close();
		synchronized (this.lock) {
			// Only now: a thread may have been inside the pool's getConnection() until
			// close() ended its wait.
			this.slots.clear(pool.index());
		}
		return true;
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
	 * The primary pool started with the application; after a topology source named
	 * another primary the topology knows the current one, not this.
	 * @return the first primary
	 */
	public ManagedPool initialPrimary() {
		return this.initial.get(0);
	}

	/**
	 * The replica pools started with the application, in configuration order.
	 * @return the replicas configured at startup, empty when none is
	 */
	public List<ManagedPool> initialReplicas() {
		return this.initial.stream().filter((pool) -> pool.role() == PoolRole.REPLICA).toList();
	}

	/**
	 * The extra datasources' pools, in configuration order; they never change.
	 * @return the extra pools
	 */
	public List<ManagedPool> extras() {
		return this.initial.stream().filter((pool) -> pool.role() == PoolRole.EXTRA).toList();
	}

	/**
	 * Every pool not closed yet, retiring ones included.
	 * @return a copy of the open pools
	 */
	public List<ManagedPool> open() {
		synchronized (this.lock) {
			return List.copyOf(this.open);
		}
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
	 * A pool's HikariCP data source by the name it had at startup, the factory method of
	 * each configured pool's own bean.
	 * @param name the pool name
	 * @return the pool's data source
	 * @throws IllegalArgumentException when no pool of that name was started with the
	 * application
	 */
	public HikariDataSource dataSource(String name) {
		for (ManagedPool pool : this.initial) {
			if (pool.name().equals(name)) {
				return pool.dataSource();
			}
		}
		throw new IllegalArgumentException(
				"No pool named '" + name + "'; pools: " + this.initial.stream().map(ManagedPool::name).toList());
	}

	/**
	 * Closes every pool that is still open, the last opened first, then runs the
	 * after-close action.
	 */
	@Override
	public void close() {
		List<ManagedPool> reversed;
		synchronized (this.lock) {
			this.closed = true;
			reversed = new ArrayList<>(this.open);
		}
		Collections.reverse(reversed);
		for (ManagedPool pool : reversed) {
			// The drain may have closed it already.
			boolean wasOpen = !pool.dataSource().isClosed();
			if (close(pool) && wasOpen) {
				logger.info("Closed pool '" + pool.name() + "'");
			}
		}
		ScheduledExecutorService executor = this.retirements;
		if (executor != null) {
			executor.shutdownNow();
		}
		Runnable action = this.afterClose;
		this.afterClose = () -> {
		};
		action.run();
	}

}
