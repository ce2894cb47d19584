package dev.pool.internal.routing;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Serves read-only requests: from replicas when some are configured, otherwise from the
 * primary (a no-op router rather than a branch on every read).
 */
interface ReadRouter {

	/**
	 * Gets a physical connection for a read and attaches it to the routing connection.
	 */
	Connection read(RoutingConnection connection, RoutingDataSource router) throws SQLException;

}
