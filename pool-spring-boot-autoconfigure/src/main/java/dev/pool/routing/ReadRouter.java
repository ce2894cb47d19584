package dev.pool.routing;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Serves read-only requests: from replicas when some are configured, otherwise from the
 * primary (a no-op router rather than a branch on every read).
 */
interface ReadRouter {

	/**
	 * Gets a physical connection for a read and records the decision on the routing connection.
	 */
	Connection read(RoutingConnection connection) throws SQLException;

	/** The replicas, empty when none are configured. */
	RoutedPool[] replicas();

}
