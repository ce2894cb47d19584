package dev.pool.internal.credentials;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.pool.internal.failure.ConnectionFailures;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Re-reads the login of every pool whose login may change, every
 * {@code app.datasource.credentials.refresh-interval}, on one thread of its own that
 * exists only once such a pool does; after a change it retires the pool's connections of
 * the old login a few at a time over {@link #RETIRE_WINDOW} (idle ones by borrowing and
 * evicting them, borrowed ones of a routed pool as they come back through
 * {@code RoutingConnection.close}), so the server sees a trickle of new logins instead of
 * a pool's worth at once: each step of 100 ms grants as many permits as spread the old
 * connections left over the rest of the window. The first connection retired is a canary:
 * no second one goes before a connection has logged in with the new login.
 */
public final class CredentialRefresher implements AutoCloseable {

	/** How long the retirement of a pool's old connections is spread over. */
	public static final Duration RETIRE_WINDOW = Duration.ofSeconds(2);

	private static final Log logger = LogFactory.getLog(CredentialRefresher.class);

	private static final long STEP_MILLIS = 100;

	private final Duration refreshInterval;

	private final List<Watch> watches = new CopyOnWriteArrayList<>();

	private final Object lock = new Object();

	// Created with the first watched pool; guarded by lock.
	private @Nullable ThreadPoolTaskScheduler scheduler;

	private volatile boolean closed;

	private volatile Consumer<LiveCredentials> rotations = (credentials) -> {
	};

	/**
	 * A refresher with no thread yet.
	 * @param refreshInterval how often each watched login is read
	 */
	public CredentialRefresher(Duration refreshInterval) {
		this.refreshInterval = refreshInterval;
	}

	/**
	 * Who hears of each rotation, on the thread that saw it (it must not block).
	 * @param listener told of the pool's credentials after each change
	 */
	public void onRotation(Consumer<LiveCredentials> listener) {
		this.rotations = listener;
	}

	/**
	 * Watches a pool's login until the pool closes.
	 * @param credentials the pool's login
	 * @param pool the pool
	 */
	void watch(LiveCredentials credentials, HikariDataSource pool) {
		Watch watch = new Watch(credentials, pool);
		credentials.onChange(() -> {
			this.rotations.accept(credentials);
			retire(watch);
		});
		this.watches.add(watch);
		scheduler();
	}

	private @Nullable ThreadPoolTaskScheduler scheduler() {
		synchronized (this.lock) {
			if (this.closed) {
				return null;
			}
			if (this.scheduler == null) {
				ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
				scheduler.setThreadNamePrefix("pool-credentials-");
				scheduler.setDaemon(true);
				scheduler.setPoolSize(1);
				scheduler.initialize();
				scheduler.scheduleWithFixedDelay(this::refreshAll, this.refreshInterval);
				this.scheduler = scheduler;
			}
			return this.scheduler;
		}
	}

	private void refreshAll() {
		for (Watch watch : this.watches) {
			if (watch.pool.isClosed()) {
				this.watches.remove(watch);
				continue;
			}
			try {
				watch.credentials.refresh();
				if (watch.step == null && watch.credentials.oldOpen() > 0) {
					// A change seen when a connection opened, or old connections left
					// over.
					retire(watch);
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Pool '" + watch.credentials.source().pool() + "' could not refresh its login: "
						+ ConnectionFailures.describe(ex));
			}
		}
	}

	// Starts (or restarts) spreading the retirement of the old connections over the
	// window.
	private void retire(Watch watch) {
		ThreadPoolTaskScheduler scheduler = scheduler();
		if (scheduler == null) {
			return;
		}
		scheduler.execute(() -> {
			watch.windowEnd = System.nanoTime() + RETIRE_WINDOW.toNanos();
			if (watch.step == null) {
				watch.startNanos = System.nanoTime();
				watch.granted = 0;
				watch.taken = 0;
				step(watch, scheduler);
			}
		});
	}

	private void step(Watch watch, ThreadPoolTaskScheduler scheduler) {
		watch.step = null;
		if (watch.pool.isClosed() || this.closed) {
			return;
		}
		// Withdrawn before anything is decided: a connection coming back cannot take a
		// permit of the step that ended between the canary check and the next grant.
		watch.taken += watch.granted - watch.credentials.withdrawPermits();
		watch.granted = 0;
		int old = watch.credentials.oldOpen();
		if (old == 0) {
			watch.credentials.retiring(false, 0);
			int retired = watch.taken;
			if (retired > 0) {
				logger.info("Pool '" + watch.credentials.source().pool() + "' retired its " + retired
						+ " connections of the old login in " + (System.nanoTime() - watch.startNanos) / 1_000_000
						+ "ms");
			}
			return;
		}
		long stepsLeft = Math.max(1, TimeUnit.NANOSECONDS.toMillis(watch.windowEnd - System.nanoTime()) / STEP_MILLIS);
		int quota = (int) Math.max(1, (old + stepsLeft - 1) / stepsLeft);
		if (watch.taken > 0 && watch.credentials.currentOpen() == 0) {
			// One connection went and none has logged in with the new login yet (the file
			// changed before the database did, or only one of two files so far): retire
			// no more until one has, so a login that does not work yet costs the pool one
			// connection, not all of them. The window starts again once one works.
			quota = 0;
			watch.windowEnd = System.nanoTime() + RETIRE_WINDOW.toNanos();
		}
		// The step's permits: taken by connections that come back to a routed pool
		// (RoutingConnection.close) and by the idle ones found here.
		watch.granted = quota;
		watch.credentials.retiring(true, quota);
		evictIdleOld(watch);
		watch.step = scheduler.schedule(() -> step(watch, scheduler), Instant.now().plusMillis(STEP_MILLIS));
	}

	// Borrows the idle connections, evicts the old ones while the step's permits last
	// and gives the others back. HikariCP has no way to name an idle connection without
	// borrowing it; the borrows last microseconds and never wait when a connection is
	// idle. A busy connection is rarely idle at a step: the routed pools retire those as
	// they come back.
	private void evictIdleOld(Watch watch) {
		HikariPoolMXBean mx = watch.pool.getHikariPoolMXBean();
		if (mx == null) {
			return;
		}
		List<Connection> current = new ArrayList<>();
		int evicted = 0;
		try {
			int limit = mx.getIdleConnections();
			while (current.size() + evicted < limit && mx.getIdleConnections() > 0) {
				Connection connection = watch.pool.getConnection();
				if (watch.credentials.takeRetirement(connection.unwrap(Connection.class))) {
					// Closes the physical connection at once; HikariCP refills to its
					// minimum with the current login.
					watch.pool.evictConnection(connection);
					evicted++;
				}
				else {
					current.add(connection);
				}
			}
		}
		catch (SQLException | RuntimeException ex) {
			logger.debug("Pool '" + watch.credentials.source().pool() + "' could not look at an idle connection: "
					+ ConnectionFailures.describe(ex));
		}
		finally {
			for (Connection connection : current) {
				try {
					connection.close();
				}
				catch (SQLException ex) {
					// Back in the pool or broken; either way not ours any more.
				}
			}
		}
	}

	/** Stops the thread; pools close on their own. */
	@Override
	public void close() {
		ThreadPoolTaskScheduler scheduler;
		synchronized (this.lock) {
			this.closed = true;
			scheduler = this.scheduler;
			this.scheduler = null;
		}
		if (scheduler != null) {
			scheduler.shutdown();
		}
		this.watches.clear();
	}

	// One watched pool; its fields other than the finals are touched on the refresher's
	// thread only.
	private static final class Watch {

		final LiveCredentials credentials;

		final HikariDataSource pool;

		volatile @Nullable ScheduledFuture<?> step;

		long windowEnd;

		long startNanos;

		// Permits granted by the step now running, and retirements since the window
		// opened (granted minus what came back unused, counted at each step).
		int granted;

		int taken;

		Watch(LiveCredentials credentials, HikariDataSource pool) {
			this.credentials = credentials;
			this.pool = pool;
		}

	}

}
