package dev.pool.internal.routing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.pool.NoReplicaAvailableException;
import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.failure.ConnectionFailures;
import dev.pool.internal.replica.ReplicaSet;
import org.jspecify.annotations.Nullable;

/**
 * Read routing over one or more replicas: the load balancer picks among the available
 * ones; a replica whose connection fails is ejected and the read moves on to the next,
 * then to the primary if fallback is enabled. When the caller has written, only a replica
 * that has replayed those writes serves the read, else the primary does
 * ({@link RoutingReason#CONSISTENCY}).
 */
final class ReplicaReadRouter implements ReadRouter {

	// Between two looks at the replicas while a read may wait for one to catch up.
	private static final long WAIT_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	private final ReplicaSet replicas;

	private final LoadBalancer balancer;

	private final boolean fallbackToPrimary;

	private final RoutingObserver observer;

	private final Consistency consistency;

	ReplicaReadRouter(ReplicaSet replicas, LoadBalancer balancer, boolean fallbackToPrimary, RoutingObserver observer,
			Consistency consistency) {
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
		ManagedPool[] candidates = this.replicas.available();
		SQLException failure = null;
		while (candidates.length > 0) {
			ManagedPool replica = candidates[this.balancer.choose(candidates)];
			Connection physical;
			try {
				physical = router.borrowReplica(replica);
			}
			catch (SQLException ex) {
				failure = ejectIfBroken(replica, ex);
				candidates = this.replicas.available();
				continue;
			}
			this.observer.routed(replica, RoutingReason.READ_ONLY);
			return connection.attach(replica, physical);
		}
		return withoutReplica(connection, router, failure);
	}

	// The caller has written: a replica serves only once it has replayed those writes,
	// known from its last check or asked on the connection the read borrows (at most once
	// per short interval per replica); otherwise the primary serves, possibly after
	// waiting max-wait.
	private Connection consistentRead(RoutingConnection connection, RoutingDataSource router, long required)
			throws SQLException {
		long deadline = 0;
		SQLException failure = null;
		while (true) {
			ManagedPool[] candidates = this.replicas.available();
			int n = candidates.length;
			if (n == 0) {
				return withoutReplica(connection, router, failure);
			}
			int start = this.balancer.choose(candidates);
			boolean retry = false;
			for (int i = 0; i < n && !retry; i++) {
				ManagedPool replica = candidates[wrap(start + i, n)];
				if (this.consistency.satisfiedBy(replica, required)) {
					try {
						Connection physical = router.borrowReplica(replica);
						this.observer.routed(replica, RoutingReason.READ_ONLY);
						return connection.attach(replica, physical);
					}
					catch (SQLException ex) {
						failure = ejectIfBroken(replica, ex);
						retry = true;
					}
				}
			}
			for (int i = 0; i < n && !retry; i++) {
				ManagedPool replica = candidates[wrap(start + i, n)];
				if (!this.consistency.claimRefresh(replica)) {
					continue;
				}
				Connection physical;
				boolean caughtUp;
				try {
					physical = router.borrowReplica(replica);
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
					this.observer.routed(replica, RoutingReason.READ_ONLY);
					return connection.attach(replica, physical);
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
			return router.primaryFor(connection, RoutingReason.FALLBACK);
		}
		throw new NoReplicaAvailableException("No replica can serve a read-only request (" + this.replicas.describe()
				+ ") and app.datasource.routing.fallback-to-primary is false", failure);
	}

	private SQLException ejectIfBroken(ManagedPool replica, SQLException ex) throws SQLException {
		if (!ConnectionFailures.isConnectionFailure(ex)) {
			throw ex;
		}
		this.replicas.eject(replica, "no connection", ex);
		return ex;
	}

	private static int wrap(int index, int n) {
		return (index < n) ? index : index - n;
	}

}
