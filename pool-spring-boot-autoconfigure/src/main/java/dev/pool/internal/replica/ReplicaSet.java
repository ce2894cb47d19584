package dev.pool.internal.replica;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.datasource.PoolEvents;
import dev.pool.internal.datasource.Waiters;
import dev.pool.internal.failure.ConnectionFailures;
import dev.pool.internal.probe.NodeProbe;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.internal.topology.ReplicaNode;
import dev.pool.internal.topology.Topology;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The rules by which a replica serves reads or not: ejected at the first refused
 * connection or broken connection, re-admitted when a check passes, kept out while it
 * lags. Writes each change into the {@link LiveTopology} and logs it once; routing reads
 * the result from the topology, lock-free.
 */
public final class ReplicaSet {

	private static final Log logger = LogFactory.getLog(ReplicaSet.class);

	// A read that chose a replica just before it was ejected may start waiting just after
	// the release: looked for again shortly after.
	private static final long[] RESCAN_MILLIS = { 100, 1000 };

	private final LiveTopology topology;

	private final Waiters waiters;

	private volatile Predicate<ManagedPool> inPrimaryUrl = (replica) -> false;

	/**
	 * Creates the set and starts listening to each replica the topology has now: a
	 * refused connection attempt or a connection broken in use ejects the replica at
	 * once.
	 * @param topology the topology whose replicas to keep
	 * @param waiters the threads borrowing from the pools, released from a replica when
	 * it is ejected
	 */
	public ReplicaSet(LiveTopology topology, Waiters waiters) {
		this.topology = topology;
		this.waiters = waiters;
		topology.current().replicas().forEach((replica) -> attach(replica.pool()));
	}

	/**
	 * Which replicas a multi-host primary URL also names: when one of them is seen
	 * promoted, the primary's breaker lets its probe through at once.
	 * @param inPrimaryUrl true for a replica on one of the primary URL's hosts
	 */
	public void primaryUrlNames(Predicate<ManagedPool> inPrimaryUrl) {
		this.inPrimaryUrl = inPrimaryUrl;
	}

	/**
	 * Starts listening to a replica pool's connection events; called for each replica
	 * that joins the topology.
	 * @param replica the replica's pool
	 */
	public void attach(ManagedPool replica) {
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

	/**
	 * Each replica's node now, in topology order.
	 * @return the replicas, empty without any
	 */
	public List<ReplicaNode> states() {
		return this.topology.current().replicas();
	}

	/**
	 * A replica's node now, by name.
	 * @param name the replica's name
	 * @return its node, or {@code null} when no replica has that name
	 */
	public @Nullable ReplicaNode state(String name) {
		return this.topology.current().replica(name);
	}

	/**
	 * Takes a replica out of routing after a connection failure, until a check passes
	 * again.
	 * @param replica the replica whose connection failed
	 * @param what what failed, for the state and the log line
	 * @param cause the failure
	 */
	public void eject(ManagedPool replica, String what, Throwable cause) {
		String error = what + ": " + ConnectionFailures.describe(cause);
		LiveTopology.Change change = this.topology.updateReplica(replica,
				(node) -> node.up() ? node.down(error) : node);
		if (change == null) {
			return;
		}
		int released = release(replica);
		logger.warn("Replica '" + replica.name() + "' ejected from read routing: " + error + "; "
				+ available(this.topology.current()) + waiting(released));
	}

	// Reads waiting for one of its connections go to another node now.
	private int release(ManagedPool replica) {
		int released = this.waiters.release(replica, Long.MAX_VALUE);
		for (long delay : RESCAN_MILLIS) {
			CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> {
				ReplicaNode node = this.topology.current().replica(replica);
				if (node == null || !node.up()) {
					this.waiters.release(replica, Long.MAX_VALUE);
				}
			});
		}
		return released;
	}

	/**
	 * Ends the waits of reads borrowing from a replica that left the topology: they move
	 * on to another node.
	 * @param replica the replica's pool
	 * @return how many waits were ended
	 */
	public int released(ManagedPool replica) {
		return release(replica);
	}

	private static String waiting(int released) {
		return (released > 0) ? "; " + released + " waiting reads moved on" : "";
	}

	private static String available(Topology topology) {
		return topology.readable().length + " of " + topology.replicas().size() + " replicas available";
	}

	/**
	 * Records a check: reachable or not (with why), and its replay lag against the limit.
	 * @param replica the checked replica
	 * @param result what the check found
	 * @param maxLagSeconds lag above which the replica is kept out, 0 for no limit
	 */
	void checked(ManagedPool replica, NodeProbe.Result result, double maxLagSeconds) {
		if (result.refused()) {
			// The replica answered and refused a new session (too many connections, a
			// login being rotated): it is not down, and this check says nothing new.
			logger.debug("Replica '" + replica.name() + "' refused its check's session: " + result.error());
			return;
		}
		LiveTopology.Change change = record(replica, result, maxLagSeconds);
		if (change == null) {
			return;
		}
		ReplicaNode before = change.before();
		ReplicaNode after = change.after();
		int released = (!result.reachable() && before.up()) ? release(replica) : 0;
		log(replica, before, after, result, maxLagSeconds, released);
		if (after.promoted() && !before.promoted() && this.inPrimaryUrl.test(replica)) {
			this.topology.current()
				.primary()
				.guard()
				.probeNow("replica '" + replica.name() + "', one of the primary URL's hosts, was promoted");
		}
	}

	// The check's outcome into the topology: a new snapshot when the node's state
	// changed (null otherwise); the replay position, shared by the node's snapshots,
	// either way.
	private LiveTopology.@Nullable Change record(ManagedPool replica, NodeProbe.Result result, double maxLagSeconds) {
		boolean reachable = result.reachable();
		double lagSeconds = result.lagSeconds();
		boolean lagging = reachable && maxLagSeconds > 0 && !Double.isNaN(lagSeconds) && lagSeconds > maxLagSeconds;
		// The latest failure, not the first: what the node does now.
		String error = (result.error() != null) ? result.error() : "check failed";
		LiveTopology.Change change = this.topology.updateReplica(replica,
				(node) -> reachable
						? node.reached(result.latencyMillis(), lagSeconds, result.lagBytes(), lagging,
								!result.inRecovery(), result.streaming())
						: node.unreachable(result.latencyMillis(), error));
		ReplicaNode now = (change != null) ? change.after() : this.topology.current().replica(replica);
		if (now != null) {
			now.position().replayedTo(result.replayPosition());
		}
		return change;
	}

	// One line for a change of routing state, one for a change of role.
	private void log(ManagedPool replica, ReplicaNode before, ReplicaNode after, NodeProbe.Result result,
			double maxLagSeconds, int released) {
		String transition = transition(before, after, result.lagSeconds(), maxLagSeconds, result.error());
		if (transition != null) {
			String message = "Replica '" + replica.name() + "' " + transition + "; "
					+ available(this.topology.current()) + waiting(released);
			if (after.isAvailable()) {
				logger.info(message);
			}
			else {
				logger.warn(message);
			}
		}
		String role = roleChange(before, after);
		if (role != null) {
			if (after.promoted() || !after.streaming()) {
				logger.warn("Replica '" + replica.name() + "' " + role);
			}
			else {
				logger.info("Replica '" + replica.name() + "' " + role);
			}
		}
	}

	private static @Nullable String transition(ReplicaNode before, ReplicaNode after, double lagSeconds,
			double maxLagSeconds, @Nullable String error) {
		if (!before.admitted() && after.admitted()) {
			return "joined read routing: its first check passed";
		}
		if (!before.admitted()) {
			return (after.up() || before.error() != null && before.error().equals(after.error())) ? null
					: "has not joined read routing: its check failed: " + error;
		}
		if (before.up() && !after.up()) {
			return "ejected from read routing: " + error;
		}
		if (!before.up() && after.up()) {
			return "re-admitted: check passed" + (after.lagging() ? " but lag " + lagSeconds + "s keeps it out" : "");
		}
		if (after.lagging() && !before.lagging()) {
			return "excluded: replay lag " + lagSeconds + "s exceeds max-replica-lag " + maxLagSeconds + "s";
		}
		if (!after.lagging() && before.lagging() && after.up()) {
			return "caught up: replay lag " + lagSeconds + "s; back in read routing";
		}
		return null;
	}

	private static @Nullable String roleChange(ReplicaNode before, ReplicaNode after) {
		if (!after.up()) {
			return null;
		}
		if (after.promoted() && !before.promoted()) {
			return "was promoted: it is a primary now ("
					+ (after.pool().settings().isPostgres() ? "pg_is_in_recovery()" : "@@read_only")
					+ " is false); it keeps serving reads, point its app.datasource.replicas entry at a replica";
		}
		if (!after.promoted() && before.promoted()) {
			return "is a replica again (in recovery)";
		}
		if (!after.streaming() && before.streaming()) {
			return "is not streaming from a primary (no WAL receiver): its lag is unknown; it keeps serving reads of "
					+ "what it has replayed";
		}
		if (after.streaming() && !before.streaming() && !after.promoted()) {
			return "is streaming from a primary again";
		}
		return null;
	}

}
