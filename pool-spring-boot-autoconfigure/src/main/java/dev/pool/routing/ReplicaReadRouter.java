package dev.pool.routing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import dev.pool.datasource.NodeProbe;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Read routing over one or more replicas: the load balancer picks among the available ones; a
 * replica whose connection fails is ejected and the read moves on to the next, then to the
 * primary if fallback is enabled.
 */
final class ReplicaReadRouter implements ReadRouter {

	private static final Log logger = LogFactory.getLog(ReplicaReadRouter.class);

	private final RoutedPool[] replicas;

	private final ReplicaState[] states;

	private final LoadBalancer balancer;

	private final boolean fallbackToPrimary;

	private final RoutingObserver observer;

	private final Object stateMonitor = new Object();

	// Rebuilt (rarely) when a replica changes state; read lock-free on every routed read.
	private volatile RoutedPool[] available;

	ReplicaReadRouter(RoutedPool[] replicas, LoadBalancer balancer, boolean fallbackToPrimary,
			RoutingObserver observer) {
		this.replicas = replicas;
		this.states = new ReplicaState[replicas.length];
		for (int i = 0; i < replicas.length; i++) {
			this.states[i] = new ReplicaState(replicas[i]);
		}
		this.balancer = balancer;
		this.fallbackToPrimary = fallbackToPrimary;
		this.observer = observer;
		this.available = replicas;
	}

	@Override
	public Connection read(RoutingConnection connection, RoutingDataSource router) throws SQLException {
		RoutedPool[] candidates = this.available;
		SQLException failure = null;
		while (candidates.length > 0) {
			RoutedPool replica = this.balancer.choose(candidates);
			Connection physical;
			try {
				physical = router.borrowReplica(replica);
			}
			catch (SQLException ex) {
				if (!ConnectionFailures.isConnectionFailure(ex)) {
					throw ex;
				}
				eject(replica, ex);
				failure = ex;
				candidates = this.available;
				continue;
			}
			this.observer.routed(replica, RoutingReason.READ_ONLY);
			return connection.attach(replica, physical);
		}
		if (this.fallbackToPrimary) {
			return router.primaryFor(connection, RoutingReason.FALLBACK);
		}
		throw new NoReplicaAvailableException("No replica can serve a read-only request (" + describe()
				+ ") and app.datasource.routing.fallback-to-primary is false", failure);
	}

	@Override
	public RoutedPool[] replicas() {
		return this.replicas;
	}

	@Override
	public List<ReplicaState> states() {
		return List.of(this.states);
	}

	@Override
	public void eject(RoutedPool replica, Throwable cause) {
		ReplicaState state = this.states[replica.index() - 1];
		synchronized (this.stateMonitor) {
			if (!state.isUp()) {
				return;
			}
			state.down(message(cause));
			rebuild();
		}
		logger.warn("Replica '" + replica.name() + "' ejected from read routing: " + state.error() + "; "
				+ this.available.length + " of " + this.replicas.length + " replicas available");
	}

	@Override
	public void checked(RoutedPool replica, NodeProbe.Result result, double maxLagSeconds) {
		ReplicaState state = this.states[replica.index() - 1];
		boolean reachable = result.reachable();
		String error = result.error();
		double lagSeconds = result.lagSeconds();
		boolean lagging = reachable && maxLagSeconds > 0 && !Double.isNaN(lagSeconds) && lagSeconds > maxLagSeconds;
		String change = null;
		synchronized (this.stateMonitor) {
			state.checked(result.latencyMillis());
			boolean wasAvailable = state.isAvailable();
			boolean wasUp = state.isUp();
			boolean wasLagging = state.isLagging();
			if (reachable) {
				state.up();
			}
			else if (wasUp) {
				state.down(error);
			}
			state.lag(reachable ? lagSeconds : Double.NaN, lagging);
			if (wasAvailable != state.isAvailable()) {
				rebuild();
			}
			if (!reachable && wasUp) {
				change = "ejected from read routing: " + error;
			}
			else if (reachable && !wasUp) {
				change = "re-admitted: check passed" + (lagging ? " but lag " + lagSeconds + "s keeps it out" : "");
			}
			else if (lagging && !wasLagging) {
				change = "excluded: replay lag " + lagSeconds + "s exceeds max-replica-lag " + maxLagSeconds + "s";
			}
			else if (!lagging && wasLagging && reachable) {
				change = "caught up: replay lag " + lagSeconds + "s; back in read routing";
			}
		}
		if (change != null) {
			String message = "Replica '" + replica.name() + "' " + change + "; " + this.available.length + " of "
					+ this.replicas.length + " replicas available";
			if (state.isAvailable()) {
				logger.info(message);
			}
			else {
				logger.warn(message);
			}
		}
	}

	private void rebuild() {
		List<RoutedPool> eligible = new ArrayList<>(this.replicas.length);
		for (ReplicaState state : this.states) {
			if (state.isAvailable()) {
				eligible.add(state.pool());
			}
		}
		this.available = eligible.toArray(RoutedPool[]::new);
	}

	private String describe() {
		List<String> parts = new ArrayList<>();
		for (ReplicaState state : this.states) {
			parts.add(state.name() + " " + state.status());
		}
		return String.join(", ", parts);
	}

	private static String message(Throwable cause) {
		Throwable root = cause;
		while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
			root = root.getCause();
		}
		String message = root.getMessage();
		return root.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
	}

}
