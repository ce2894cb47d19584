package dev.pool.routing;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Read routing when no replica is configured: reads use the primary, whatever the fallback
 * setting, and nothing else changes.
 */
final class PrimaryOnlyReadRouter implements ReadRouter {

	private static final RoutedPool[] NONE = new RoutedPool[0];

	private final RoutedPool primary;

	private final RoutingObserver observer;

	PrimaryOnlyReadRouter(RoutedPool primary, RoutingObserver observer) {
		this.primary = primary;
		this.observer = observer;
	}

	@Override
	public Connection read(RoutingConnection connection) throws SQLException {
		this.observer.routed(this.primary, RoutingReason.READ_ONLY);
		return connection.attach(this.primary, this.primary.dataSource().getConnection());
	}

	@Override
	public RoutedPool[] replicas() {
		return NONE;
	}

}
