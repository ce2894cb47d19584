package dev.pool.internal.routing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.pool.NoReplicaAvailableException;
import dev.pool.internal.failure.ConnectionFailures;
import dev.pool.internal.replica.ReplicaSet;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.internal.topology.ReplicaNode;
import org.jspecify.annotations.Nullable;

/**
 * Read routing over the topology's replicas: the load balancer picks among the readable
 * ones of the current snapshot; a replica whose connection fails is ejected and the read
 * moves on to the next, then to the primary if fallback is enabled (up to
 * {@code fallback-max-connections}). When the caller has written, only a replica that has
 * replayed those writes serves the read, else the primary does
 * ({@link RoutingReason#CONSISTENCY}).
 */
final class ReplicaReadRouter implements ReadRouter {

	// Between two looks at the replicas while a read may wait for one to catch up.
	private static final long WAIT_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	private final LiveTopology topology;

	private final ReplicaSet replicas;

	private final LoadBalancer balancer;

	private final boolean fallbackToPrimary;

	private final RoutingObserver observer;

	private final Consistency consistency;

	ReplicaReadRouter(LiveTopology topology, ReplicaSet replicas, LoadBalancer balancer, boolean fallbackToPrimary,
			RoutingObserver observer, Consistency consistency) {
		this.topology = topology;
		this.replicas = replicas;
		this.balancer = balancer;
		this.fallbackToPrimary = fallbackToPrimary;
		this.observer = observer;
		this.consistency = consistency;
	}

	@Override
	public Connection read(RoutingConnection connection, RoutingDataSource router) throws SQLException {
		long required = this.consistency.required();
		if (required != 0) {
			return consistentRead(connection, router, required);
		}
		ReplicaNode[] candidates = this.topology.current().readable();
		SQLException failure = null;
		while (candidates.length > 0) {
			ReplicaNode replica = candidates[this.balancer.choose(candidates)];
			Connection physical;
			try {
				physical = router.borrowReplica(replica.pool());
			}
			catch (SQLException ex) {
				failure = ejectIfBroken(replica, ex);
				candidates = this.topology.current().readable();
				continue;
			}
			this.observer.routed(replica.pool(), RoutingReason.READ_ONLY);
			return connection.attach(replica.pool(), RoutingReason.READ_ONLY, physical);
		}
		return withoutReplica(connection, router, failure);
	}

	// The caller has written: a replica serves only once it has replayed those writes,
	// known from its last check or asked on the connection the read borrows (at most once
	// per short interval per replica); otherwise the primary serves, possibly after
	// waiting max-wait.
	private Connection consistentRead(RoutingConnection connection, RoutingDataSource router, long required)
			throws SQLException {
		if (required == Consistency.UNKNOWN_POSITION) {
			// No replica can be shown to have the caller's write: no wait, no refresh.
			return router.primaryFor(connection, RoutingReason.CONSISTENCY);
		}
		long deadline = 0;
		SQLException failure = null;
		while (true) {
			ReplicaNode[] candidates = this.topology.current().readable();
			int n = candidates.length;
			if (n == 0) {
				return withoutReplica(connection, router, failure);
			}
			int start = this.balancer.choose(candidates);
			boolean retry = false;
			for (int i = 0; i < n && !retry; i++) {
				ReplicaNode replica = candidates[wrap(start + i, n)];
				if (this.consistency.satisfiedBy(replica, required)) {
					try {
						Connection physical = router.borrowReplica(replica.pool());
						this.observer.routed(replica.pool(), RoutingReason.READ_ONLY);
						return connection.attach(replica.pool(), RoutingReason.READ_ONLY, physical);
					}
					catch (SQLException ex) {
						failure = ejectIfBroken(replica, ex);
						retry = true;
					}
				}
			}
			for (int i = 0; i < n && !retry; i++) {
				ReplicaNode replica = candidates[wrap(start + i, n)];
				if (!this.consistency.claimRefresh(replica)) {
					continue;
				}
				Connection physical;
				boolean caughtUp;
				try {
					physical = router.borrowReplica(replica.pool());
				}
				catch (SQLException ex) {
					failure = ejectIfBroken(replica, ex);
					retry = true;
					continue;
				}
				try {
					caughtUp = this.consistency.refresh(replica, physical, required);
				}
				catch (SQLException ex) {
					physical.close();
					failure = ejectIfBroken(replica, ex);
					retry = true;
					continue;
				}
				if (caughtUp) {
					this.observer.routed(replica.pool(), RoutingReason.READ_ONLY);
					return connection.attach(replica.pool(), RoutingReason.READ_ONLY, physical);
				}
				physical.close();
			}
			if (retry) {
				continue;
			}
			long now = System.nanoTime();
			if (deadline == 0) {
				deadline = now + this.consistency.maxWaitNanos();
			}
			if (now - deadline >= 0) {
				break;
			}
			LockSupport.parkNanos(Math.min(WAIT_STEP_NANOS, deadline - now));
		}
		return router.primaryFor(connection, RoutingReason.CONSISTENCY);
	}

	private Connection withoutReplica(RoutingConnection connection, RoutingDataSource router,
			@Nullable SQLException failure) throws SQLException {
		if (this.fallbackToPrimary) {
			return router.fallback(connection, failure);
		}
		throw new NoReplicaAvailableException(
				"No replica can serve a read-only request (" + this.topology.current().describeReplicas()
						+ ") and app.datasource.routing.fallback-to-primary is false",
				failure);
	}

	private SQLException ejectIfBroken(ReplicaNode replica, SQLException ex) throws SQLException {
		if (!ConnectionFailures.isConnectionFailure(ex)) {
			throw ex;
		}
		this.replicas.eject(replica.pool(), "no connection", ex);
		return ex;
	}

	private static int wrap(int index, int n) {
		return (index < n) ? index : index - n;
	}

}
