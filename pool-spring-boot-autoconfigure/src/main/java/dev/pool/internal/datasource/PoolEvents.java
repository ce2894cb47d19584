package dev.pool.internal.datasource;

import java.sql.SQLException;

/**
 * What a pool's connections tell about their server, as it happens: every connection
 * attempt (the pool's own background attempts included), every connection that breaks
 * while in use, and every routed borrow that timed out. The circuit breaker listens on
 * the primary, the replica set on each replica.
 */
public interface PoolEvents {

	/** Listens to nothing. */
	PoolEvents NONE = new PoolEvents() {
	};

	/** A new physical connection was opened. */
	default void connected() {
	}

	/**
	 * A connection attempt failed.
	 * @param failure why, as the driver reported it
	 */
	default void connectFailed(SQLException failure) {
	}

	/**
	 * A connection in use failed in a way that means it is gone (SQLState class 08,
	 * 57P01-57P03, a connection exception type); the pool evicts it.
	 * @param failure the failure
	 */
	default void brokenInUse(SQLException failure) {
	}

	/**
	 * A borrow waited {@code connection-timeout} and got no connection (HikariCP's
	 * {@code SQLTransientConnectionException}); told on the borrowing thread.
	 * @param failure the pool's exception
	 */
	default void exhausted(SQLException failure) {
	}

}
