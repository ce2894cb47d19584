package dev.pool.internal.routing;

import java.sql.Connection;
import java.sql.SQLException;

import dev.pool.DrainingException;
import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.datasource.Waiters;
import dev.pool.internal.topology.PrimaryNode;

/**
 * How the router borrows physical connections; swapped as a whole when the application
 * starts draining, so the normal path carries no shutdown check.
 */
interface PoolAccess {

	/** Borrows from the primary. */
	Connection primary(PrimaryNode primary) throws SQLException;

	/** Borrows from a replica. */
	Connection replica(ManagedPool replica) throws SQLException;

	/**
	 * Normal operation: the primary through its own guard (the circuit breaker), replicas
	 * directly, their waits ended when the replica is ejected.
	 */
	static PoolAccess open(Waiters waiters) {
		return new PoolAccess() {

			@Override
			public Connection primary(PrimaryNode primary) throws SQLException {
				return primary.guard().borrow(primary.pool());
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
			public Connection primary(PrimaryNode primary) throws SQLException {
				throw new DrainingException(
						"Pool '" + primary.pool().name() + "' is draining for shutdown; no new connections");
			}

			@Override
			public Connection replica(ManagedPool replica) throws SQLException {
				throw new DrainingException(
						"Pool '" + replica.name() + "' is draining for shutdown; no new connections");
			}

		};
	}

}
