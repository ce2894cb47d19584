package dev.pool.internal.datasource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

/**
 * One pool the starter manages: its name, role, effective settings and HikariCP data
 * source, plus an index (primary 0, replicas from 1) that lets per-pool state live in
 * arrays.
 */
public final class ManagedPool {

	private final PoolSettings settings;

	private final HikariDataSource dataSource;

	private final int index;

	private final PoolEventRelay events;

	ManagedPool(PoolSettings settings, HikariDataSource dataSource, int index, PoolEventRelay events) {
		this.settings = settings;
		this.dataSource = dataSource;
		this.index = index;
		this.events = events;
	}

	/**
	 * Sends this pool's connection events (attempts, broken connections) to a listener,
	 * replacing the previous one.
	 * @param listener the listener
	 */
	public void listen(PoolEvents listener) {
		this.events.listener(listener);
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
	 * Position of this pool among all pools (primary is 0, replicas follow in
	 * configuration order).
	 * @return the index
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
