package dev.pool.routing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import dev.pool.datasource.NodeProbe;

/**
 * Serves read-only requests: from replicas when some are configured, otherwise from the
 * primary (a no-op router rather than a branch on every read).
 */
interface ReadRouter {

	/** Gets a physical connection for a read and attaches it to the routing connection. */
	Connection read(RoutingConnection connection, RoutingDataSource router) throws SQLException;

	/** The replicas, empty when none are configured. */
	RoutedPool[] replicas();

	/** Each replica's state. */
	List<ReplicaState> states();

	/** Takes a replica out of routing after a connection failure. */
	void eject(RoutedPool replica, Throwable cause);

	/** Records a health check result. */
	void checked(RoutedPool replica, NodeProbe.Result result, double maxLagSeconds);

}
