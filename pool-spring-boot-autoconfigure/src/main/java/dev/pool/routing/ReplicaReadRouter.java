package dev.pool.routing;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Read routing over one or more replicas: the load balancer picks among the eligible ones;
 * with none eligible, the primary serves the read if fallback is enabled.
 */
final class ReplicaReadRouter implements ReadRouter {

	private final RoutedPool primary;

	private final RoutedPool[] replicas;

	private final LoadBalancer balancer;

	private final boolean fallbackToPrimary;

	private final RoutingObserver observer;

	ReplicaReadRouter(RoutedPool primary, RoutedPool[] replicas, LoadBalancer balancer, boolean fallbackToPrimary,
			RoutingObserver observer) {
		this.primary = primary;
		this.replicas = replicas;
		this.balancer = balancer;
		this.fallbackToPrimary = fallbackToPrimary;
		this.observer = observer;
	}

	@Override
	public Connection read(RoutingConnection connection) throws SQLException {
		RoutedPool replica = this.balancer.choose(this.replicas);
		this.observer.routed(replica, RoutingReason.READ_ONLY);
		return connection.attach(replica, replica.dataSource().getConnection());
	}

	@Override
	public RoutedPool[] replicas() {
		return this.replicas;
	}

	boolean fallbackToPrimary() {
		return this.fallbackToPrimary;
	}

	RoutedPool primary() {
		return this.primary;
	}

}
