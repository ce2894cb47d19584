package dev.pool.internal.datasource;

import java.util.concurrent.atomic.LongAdder;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

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

	private final LongAdder[] counters = new LongAdder[COUNTERS];

	ManagedPool(PoolSettings settings, HikariDataSource dataSource, int index, PoolEventRelay events) {
		this.settings = settings;
		this.dataSource = dataSource;
		this.index = index;
		this.events = events;
		for (int i = 0; i < COUNTERS; i++) {
			this.counters[i] = new LongAdder();
		}
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
	 * The pool's live counts.
	 * @return a snapshot
	 */
	public PoolSnapshot snapshot() {
		return PoolSnapshot.of(this.dataSource);
	}

	@Override
	public String toString() {
		return name();
	}

}
