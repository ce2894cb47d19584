package dev.pool.internal.breaker;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import dev.pool.internal.datasource.ManagedPool;

/**
 * Borrows from the primary, possibly refusing at once (an open circuit breaker), and
 * hears when a primary connection comes back intact after use.
 */
public interface PrimaryGuard {

	/** No guard: borrow directly. */
	PrimaryGuard NONE = new PrimaryGuard() {

		@Override
		public Connection borrow(ManagedPool primary) throws SQLException {
			return primary.dataSource().getConnection();
		}

		@Override
		public void returned() {
		}

		@Override
		public String state() {
			return "DISABLED";
		}

		@Override
		public Duration remainingOpen() {
			return Duration.ZERO;
		}

	};

	/**
	 * Borrows a connection from the primary pool.
	 * @param primary the primary pool
	 * @return a connection
	 * @throws SQLException when the pool gives none, or the guard refuses at once
	 */
	Connection borrow(ManagedPool primary) throws SQLException;

	/**
	 * A primary connection went back to the pool intact after running statements: the
	 * server answered.
	 */
	void returned();

	/**
	 * The breaker's state, for health and the pools endpoint.
	 * @return {@code CLOSED}, {@code OPEN}, {@code HALF_OPEN} or {@code DISABLED}
	 */
	String state();

	/**
	 * Time left before an open breaker lets a probe through.
	 * @return the time, zero when not open
	 */
	Duration remainingOpen();

}
