package dev.pool.internal.replica;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.datasource.PoolEvents;
import dev.pool.internal.datasource.Waiters;
import dev.pool.internal.failure.ConnectionFailures;
import dev.pool.internal.probe.NodeProbe;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The replicas and their states: which ones may serve reads right now. Written by the
 * replica checks and by routing failures (ejection); read lock-free on every routed read.
 */
public final class ReplicaSet {

	private static final Log logger = LogFactory.getLog(ReplicaSet.class);

	// A read that chose a replica just before it was ejected may start waiting just after
	// the release: looked for again shortly after.
	private static final long[] RESCAN_MILLIS = { 100, 1000 };

	private final ManagedPool[] replicas;

	private final ReplicaState[] states;

	private final Waiters waiters;

	private final Object stateMonitor = new Object();

	// Rebuilt (rarely) when a replica changes state; read lock-free on every routed read.
	private volatile ManagedPool[] available;

	/**
	 * Creates the set, every replica optimistically up until its first check, and starts
	 * listening to each replica pool: a refused connection attempt or a connection broken
	 * in use ejects the replica at once.
	 * @param replicas the replica pools, in index order
	 * @param waiters the threads borrowing from the pools, released from a replica when
	 * it is ejected
	 */
	public ReplicaSet(List<ManagedPool> replicas, Waiters waiters) {
		this.replicas = replicas.toArray(ManagedPool[]::new);
		this.waiters = waiters;
		this.states = new ReplicaState[this.replicas.length];
		for (int i = 0; i < this.replicas.length; i++) {
			this.states[i] = new ReplicaState(this.replicas[i]);
		}
		this.available = this.replicas;
		for (ManagedPool replica : this.replicas) {
			replica.listen(new PoolEvents() {

				@Override
				public void connectFailed(SQLException failure) {
					if (ConnectionFailures.isConnectionFailure(failure)) {
						eject(replica, "connection attempt failed", failure);
					}
				}

				@Override
				public void brokenInUse(SQLException failure) {
					eject(replica, "a connection broke while in use", failure);
				}

			});
		}
	}

	/**
	 * Whether no replica is configured.
	 * @return true without replicas
	 */
	public boolean isEmpty() {
		return this.replicas.length == 0;
	}

	/**
	 * The replicas that may serve reads now: up and not lagging. The array is shared and
	 * must not be modified; a new one replaces it when a state changes.
	 * @return the available replicas, possibly empty
	 */
	public ManagedPool[] available() {
		return this.available;
	}

	/**
	 * Each replica's state, in configuration order.
	 * @return the states, empty without replicas
	 */
	public List<ReplicaState> states() {
		return List.of(this.states);
	}

	/**
	 * A replica's state by pool name.
	 * @param name the replica's name
	 * @return its state, or {@code null} when no replica has that name
	 */
	public @Nullable ReplicaState state(String name) {
		for (ReplicaState state : this.states) {
			if (state.name().equals(name)) {
				return state;
			}
		}
		return null;
	}

	/**
	 * Takes a replica out of routing after a connection failure, until a check passes
	 * again.
	 * @param replica the replica whose connection failed
	 * @param what what failed, for the state and the log line
	 * @param cause the failure
	 */
	public void eject(ManagedPool replica, String what, Throwable cause) {
		ReplicaState state = stateOf(replica);
		synchronized (this.stateMonitor) {
			if (!state.isUp()) {
				return;
			}
			state.down(what + ": " + message(cause));
			rebuild();
		}
		int released = release(replica);
		logger.warn("Replica '" + replica.name() + "' ejected from read routing: " + state.error() + "; "
				+ this.available.length + " of " + this.replicas.length + " replicas available" + waiting(released));
	}

	// Reads waiting for one of its connections go to another node now.
	private int release(ManagedPool replica) {
		int released = this.waiters.release(replica, Long.MAX_VALUE);
		ReplicaState state = stateOf(replica);
		for (long delay : RESCAN_MILLIS) {
			CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> {
				if (!state.isUp()) {
					this.waiters.release(replica, Long.MAX_VALUE);
				}
			});
		}
		return released;
	}

	private static String waiting(int released) {
		return (released > 0) ? "; " + released + " waiting reads moved on" : "";
	}

	/**
	 * Records a check: reachable or not (with why), and its replay lag against the limit.
	 * @param replica the checked replica
	 * @param result what the check found
	 * @param maxLagSeconds lag above which the replica is kept out, 0 for no limit
	 */
	void checked(ManagedPool replica, NodeProbe.Result result, double maxLagSeconds) {
		ReplicaState state = stateOf(replica);
		boolean reachable = result.reachable();
		String error = result.error();
		double lagSeconds = result.lagSeconds();
		boolean lagging = reachable && maxLagSeconds > 0 && !Double.isNaN(lagSeconds) && lagSeconds > maxLagSeconds;
		String change = null;
		String role = null;
		boolean ejected;
		synchronized (this.stateMonitor) {
			state.checked(result.latencyMillis());
			boolean wasAvailable = state.isAvailable();
			boolean wasUp = state.isUp();
			boolean wasLagging = state.isLagging();
			if (reachable) {
				state.up();
				role = roleChange(state, result);
				state.role(!result.inRecovery(), result.streaming());
			}
			else {
				// The latest failure, not the first: what the node does now.
				state.down((error != null) ? error : "check failed");
			}
			state.lag(reachable ? lagSeconds : Double.NaN, lagging);
			state.lagBytes(reachable ? result.lagBytes() : Double.NaN);
			state.replayedTo(result.replayPosition());
			if (wasAvailable != state.isAvailable()) {
				rebuild();
			}
			ejected = !reachable && wasUp;
			if (ejected) {
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
		int released = ejected ? release(replica) : 0;
		if (change != null) {
			String message = "Replica '" + replica.name() + "' " + change + "; " + this.available.length + " of "
					+ this.replicas.length + " replicas available" + waiting(released);
			if (state.isAvailable()) {
				logger.info(message);
			}
			else {
				logger.warn(message);
			}
		}
		if (role != null) {
			if (state.isPromoted() || !state.isStreaming()) {
				logger.warn("Replica '" + replica.name() + "' " + role);
			}
			else {
				logger.info("Replica '" + replica.name() + "' " + role);
			}
		}
	}

	private static @Nullable String roleChange(ReplicaState state, NodeProbe.Result result) {
		boolean promoted = !result.inRecovery();
		if (promoted && !state.isPromoted()) {
			return "was promoted: it is a primary now (pg_is_in_recovery() is false); it keeps serving reads, "
					+ "point its app.datasource.replicas entry at a replica";
		}
		if (!promoted && state.isPromoted()) {
			return "is a replica again (in recovery)";
		}
		if (!result.streaming() && state.isStreaming()) {
			return "is not streaming from a primary (no WAL receiver): its lag is unknown; it keeps serving reads of "
					+ "what it has replayed";
		}
		if (result.streaming() && !state.isStreaming() && !promoted) {
			return "is streaming from a primary again";
		}
		return null;
	}

	/**
	 * The replicas and their states in one line, for messages.
	 * @return for example {@code replica-1 DOWN, replica-2 LAGGING}
	 */
	public String describe() {
		List<String> parts = new ArrayList<>();
		for (ReplicaState state : this.states) {
			parts.add(state.name() + " " + state.status());
		}
		return String.join(", ", parts);
	}

	/**
	 * A replica's state.
	 * @param replica one of the replicas
	 * @return its state
	 */
	public ReplicaState stateOf(ManagedPool replica) {
		// Replicas are indexed from 1; the primary is 0.
		return this.states[replica.index() - 1];
	}

	private void rebuild() {
		List<ManagedPool> eligible = new ArrayList<>(this.replicas.length);
		for (ReplicaState state : this.states) {
			if (state.isAvailable()) {
				eligible.add(state.pool());
			}
		}
		this.available = eligible.toArray(ManagedPool[]::new);
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
