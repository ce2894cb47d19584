package dev.pool.routing;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * How the router borrows physical connections; swapped as a whole when the application starts
 * draining, so the normal path carries no shutdown check.
 */
interface PoolAccess {

	/** Borrows from the primary. */
	Connection primary(RoutedPool primary) throws SQLException;

	/** Borrows from a replica. */
	Connection replica(RoutedPool replica) throws SQLException;

	/** Normal operation: the primary through its guard (the circuit breaker), replicas directly. */
	static PoolAccess open(PrimaryGuard guard) {
		return new PoolAccess() {

			@Override
			public Connection primary(RoutedPool primary) throws SQLException {
				return guard.borrow(primary);
			}

			@Override
			public Connection replica(RoutedPool replica) throws SQLException {
				return replica.dataSource().getConnection();
			}

		};
	}

	/** Draining: every new connection is refused at once. */
	static PoolAccess draining() {
		return new PoolAccess() {

			@Override
			public Connection primary(RoutedPool primary) throws SQLException {
				throw new DrainingException("Pool '" + primary.name() + "' is draining for shutdown; no new connections");
			}

			@Override
			public Connection replica(RoutedPool replica) throws SQLException {
				throw new DrainingException("Pool '" + replica.name() + "' is draining for shutdown; no new connections");
			}

		};
	}

}
