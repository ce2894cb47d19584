package dev.pool.internal.datasource;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.pool.internal.credentials.LiveCredentials;

/**
 * One pool the starter manages: its name, role, effective settings and HikariCP data
 * source, plus a slot number unique among the pools open at the same time (reused after a
 * pool closes) that lets per-thread borrow state name the pool in a few bits.
 */
public final class ManagedPool {

	/**
	 * How many per-reason counters each pool carries for the router (it counts at most
	 * this many routing reasons), so a routed borrow increments a counter of the pool it
	 * already holds instead of looking one up.
	 */
	public static final int COUNTERS = 8;

	private final PoolSettings settings;

	private final HikariDataSource dataSource;

	private final int index;

	private final PoolEventRelay events;

	// Borrow-and-returns of resizes still waiting for their connection.
	private final AtomicInteger nudging = new AtomicInteger();

	private final LongAdder[] counters = new LongAdder[COUNTERS];

	private final LiveCredentials credentials;

	ManagedPool(PoolSettings settings, HikariDataSource dataSource, int index, PoolEventRelay events,
			LiveCredentials credentials) {
		this.settings = settings;
		this.dataSource = dataSource;
		this.index = index;
		this.events = events;
		this.credentials = credentials;
		credentials.watch(dataSource);
		for (int i = 0; i < COUNTERS; i++) {
			this.counters[i] = new LongAdder();
		}
		if (settings.parked()) {
			// Nothing has borrowed yet and minimum-idle is 0: no connection is open.
			dataSource.getHikariConfigMXBean().setMaximumPoolSize(1);
		}
	}

	/**
	 * The pool's login as it is now, and where it comes from.
	 * @return the live credentials
	 */
	public LiveCredentials credentials() {
		return this.credentials;
	}

	/**
	 * Gives back a connection borrowed from this pool, or retires it instead when the
	 * pool's login changed since it logged in and the retirement's spread allows one more
	 * now (HikariCP then opens a replacement with the new login). Outside a retirement
	 * this is one volatile read before the usual close.
	 * @param connection a connection of this pool, not closed yet
	 * @throws SQLException as closing it would
	 */
	public void giveBack(Connection connection) throws SQLException {
		if (this.credentials.retiring() && this.credentials.takeRetirement(connection.unwrap(Connection.class))) {
			this.dataSource.evictConnection(connection);
			return;
		}
		connection.close();
	}

	/**
	 * Sends this pool's connection events (attempts, broken connections) to one more
	 * listener.
	 * @param listener the listener
	 */
	public void listen(PoolEvents listener) {
		this.events.add(listener);
	}

	/**
	 * Tells this pool's listeners that a borrow timed out.
	 * @param failure the pool's exception
	 */
	void exhausted(SQLException failure) {
		this.events.exhausted(failure);
	}

	/**
	 * Stops sending this pool's events to a listener.
	 * @param listener a listener given to {@link #listen}
	 */
	public void stopListening(PoolEvents listener) {
		this.events.remove(listener);
	}

	/**
	 * One of the pool's counters.
	 * @param slot from 0 to {@link #COUNTERS} - 1
	 * @return the counter
	 */
	public LongAdder counter(int slot) {
		return this.counters[slot];
	}

	/**
	 * The pool name: {@code primary} or the replica's key.
	 * @return the name
	 */
	public String name() {
		return this.settings.name();
	}

	/**
	 * Primary or replica.
	 * @return the role
	 */
	public PoolRole role() {
		return this.settings.role();
	}

	/**
	 * The settings the pool was started with.
	 * @return the settings
	 */
	public PoolSettings settings() {
		return this.settings;
	}

	/**
	 * The pool.
	 * @return the HikariCP data source
	 */
	public HikariDataSource dataSource() {
		return this.dataSource;
	}

	/**
	 * The pool's slot: unique among the pools open at the same time, from 0; -1 for a
	 * pool outside the set (a tenant's).
	 * @return the slot
	 */
	public int index() {
		return this.index;
	}

	/**
	 * Connections in use right now.
	 * @return the count, 0 while the pool has not started
	 */
	public int activeConnections() {
		HikariPoolMXBean pool = this.dataSource.getHikariPoolMXBean();
		return (pool != null) ? pool.getActiveConnections() : 0;
	}

	/**
	 * Changes the pool's maximum size and minimum idle while it runs, growing the maximum
	 * before the minimum and shrinking the minimum before the maximum so the pool never
	 * sees the minimum above the maximum. HikariCP opens connections for threads already
	 * waiting only when a later borrow asks: after the maximum grows, one
	 * borrow-and-return per new slot (on the given executor, never the caller's thread)
	 * makes it open them now. A smaller maximum stops new connections beyond it; it
	 * closes none.
	 * @param maximumPoolSize the new maximum, at least 1
	 * @param minimumIdle the new minimum idle, 0 up to the maximum
	 * @param nudges where the borrow-and-return runs
	 */
	public void resize(int maximumPoolSize, int minimumIdle, Executor nudges) {
		HikariConfigMXBean config = this.dataSource.getHikariConfigMXBean();
		int oldMax = config.getMaximumPoolSize();
		if (maximumPoolSize >= oldMax) {
			config.setMaximumPoolSize(maximumPoolSize);
			config.setMinimumIdle(minimumIdle);
		}
		else {
			config.setMinimumIdle(minimumIdle);
			config.setMaximumPoolSize(maximumPoolSize);
		}
		int waiting = snapshot().waiting();
		for (int i = 0; i < Math.min(maximumPoolSize - oldMax, waiting); i++) {
			this.nudging.incrementAndGet();
			nudges.execute(() -> {
				try (Connection connection = this.dataSource.getConnection()) {
					// Returned at once: the pool keeps the new connection for its
					// waiters.
				}
				catch (SQLException ex) {
					// The waiters get theirs another way, or time out as they would.
				}
				finally {
					this.nudging.decrementAndGet();
				}
			});
		}
	}

	/**
	 * The pool's live counts; its waiting threads are the application's (a resize's own
	 * borrow-and-returns left out).
	 * @return a snapshot
	 */
	public PoolSnapshot snapshot() {
		return PoolSnapshot.of(this.dataSource, this.nudging.get());
	}

	@Override
	public String toString() {
		return name();
	}

}
