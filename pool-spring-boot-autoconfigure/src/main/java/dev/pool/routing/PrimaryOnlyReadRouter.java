package dev.pool.routing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import dev.pool.datasource.NodeProbe;

/**
 * Read routing when no replica is configured: reads use the primary, whatever the fallback
 * setting, and nothing else changes.
 */
final class PrimaryOnlyReadRouter implements ReadRouter {

	private static final RoutedPool[] NONE = new RoutedPool[0];

	@Override
	public Connection read(RoutingConnection connection, RoutingDataSource router) throws SQLException {
		return router.primaryFor(connection, RoutingReason.READ_ONLY);
	}

	@Override
	public RoutedPool[] replicas() {
		return NONE;
	}

	@Override
	public List<ReplicaState> states() {
		return List.of();
	}

	@Override
	public void eject(RoutedPool replica, Throwable cause) {
	}

	@Override
	public void checked(RoutedPool replica, NodeProbe.Result result, double maxLagSeconds) {
	}

}
