package dev.pool.internal.routing;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Read routing when no replica is configured: reads use the primary, whatever the
 * fallback setting, and nothing else changes.
 */
final class PrimaryOnlyReadRouter implements ReadRouter {

	@Override
	public Connection read(RoutingConnection connection, RoutingDataSource router) throws SQLException {
		return router.primaryFor(connection, RoutingReason.READ_ONLY);
	}

}
