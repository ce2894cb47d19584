package dev.pool.internal.routing;

import java.sql.Connection;
import java.sql.SQLException;

import dev.pool.NoReplicaAvailableException;
import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.failure.ConnectionFailures;
import dev.pool.internal.replica.ReplicaSet;
import org.jspecify.annotations.Nullable;

/**
 * Read routing over one or more replicas: the load balancer picks among the available
 * ones; a replica whose connection fails is ejected and the read moves on to the next,
 * then to the primary if fallback is enabled.
 */
final class ReplicaReadRouter implements ReadRouter {

	private final ReplicaSet replicas;

	private final LoadBalancer balancer;

	private final boolean fallbackToPrimary;

	private final RoutingObserver observer;

	ReplicaReadRouter(ReplicaSet replicas, LoadBalancer balancer, boolean fallbackToPrimary, RoutingObserver observer) {
		this.replicas = replicas;
		this.balancer = balancer;
		this.fallbackToPrimary = fallbackToPrimary;
		this.observer = observer;
	}

	@Override
	public Connection read(RoutingConnection connection, RoutingDataSource router) throws SQLException {
		ManagedPool[] candidates = this.replicas.available();
		SQLException failure = null;
		while (candidates.length > 0) {
			ManagedPool replica = this.balancer.choose(candidates);
			Connection physical;
			try {
				physical = router.borrowReplica(replica);
			}
			catch (SQLException ex) {
				if (!ConnectionFailures.isConnectionFailure(ex)) {
					throw ex;
				}
				this.replicas.eject(replica, ex);
				failure = ex;
				candidates = this.replicas.available();
				continue;
			}
			this.observer.routed(replica, RoutingReason.READ_ONLY);
			return connection.attach(replica, physical);
		}
		if (this.fallbackToPrimary) {
			return router.primaryFor(connection, RoutingReason.FALLBACK);
		}
		throw new NoReplicaAvailableException("No replica can serve a read-only request (" + this.replicas.describe()
				+ ") and app.datasource.routing.fallback-to-primary is false", failure);
	}

}
