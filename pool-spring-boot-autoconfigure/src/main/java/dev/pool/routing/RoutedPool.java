package dev.pool.routing;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

import dev.pool.datasource.PoolRole;

/**
 * One pool the router can send a connection to: its name, role and HikariCP data source, plus
 * an index that observers can use to keep per-pool state in arrays.
 */
public final class RoutedPool {

	private final String name;

	private final PoolRole role;

	private final HikariDataSource dataSource;

	private final int index;

	public RoutedPool(String name, PoolRole role, HikariDataSource dataSource, int index) {
		this.name = name;
		this.role = role;
		this.dataSource = dataSource;
		this.index = index;
	}

	/** The pool name: {@code primary} or the replica's key. */
	public String name() {
		return this.name;
	}

	/** Primary or replica. */
	public PoolRole role() {
		return this.role;
	}

	/** The pool. */
	public HikariDataSource dataSource() {
		return this.dataSource;
	}

	/** Position of this pool among all pools of the router (primary is 0). */
	public int index() {
		return this.index;
	}

	/** Connections in use right now, 0 while the pool has not started. */
	public int activeConnections() {
		HikariPoolMXBean pool = this.dataSource.getHikariPoolMXBean();
		return (pool != null) ? pool.getActiveConnections() : 0;
	}

	@Override
	public String toString() {
		return this.name;
	}

}
