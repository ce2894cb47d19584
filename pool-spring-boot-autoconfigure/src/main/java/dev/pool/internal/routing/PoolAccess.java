package dev.pool.internal.routing;

import java.sql.Connection;
import java.sql.SQLException;

import dev.pool.DrainingException;
import dev.pool.internal.breaker.PrimaryGuard;
import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.datasource.Waiters;

/**
 * How the router borrows physical connections; swapped as a whole when the application
 * starts draining, so the normal path carries no shutdown check.
 */
interface PoolAccess {

	/** Borrows from the primary. */
	Connection primary(ManagedPool primary) throws SQLException;

	/** Borrows from a replica. */
	Connection replica(ManagedPool replica) throws SQLException;

	/**
	 * Normal operation: the primary through its guard (the circuit breaker), replicas
	 * directly, their waits ended when the replica is ejected.
	 */
	static PoolAccess open(PrimaryGuard guard, Waiters waiters) {
		return new PoolAccess() {

			@Override
			public Connection primary(ManagedPool primary) throws SQLException {
				return guard.borrow(primary);
			}

			@Override
			public Connection replica(ManagedPool replica) throws SQLException {
				return waiters.borrow(replica, 0);
			}

		};
	}

	/** Draining: every new connection is refused at once. */
	static PoolAccess draining() {
		return new PoolAccess() {

			@Override
			public Connection primary(ManagedPool primary) throws SQLException {
				throw new DrainingException(
						"Pool '" + primary.name() + "' is draining for shutdown; no new connections");
			}

			@Override
			public Connection replica(ManagedPool replica) throws SQLException {
				throw new DrainingException(
						"Pool '" + replica.name() + "' is draining for shutdown; no new connections");
			}

		};
	}

}
