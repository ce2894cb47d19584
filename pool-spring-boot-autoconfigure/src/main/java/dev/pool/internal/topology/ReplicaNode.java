package dev.pool.internal.topology;

import dev.pool.internal.datasource.ManagedPool;
import org.jspecify.annotations.Nullable;

/**
 * One replica at one moment: its pool, whether it serves reads and why not. Immutable: a
 * change makes a new node in a new {@link Topology}; only its {@link ReplayPosition} is
 * shared between them.
 *
 * @param pool the replica's pool
 * @param admitted whether it has passed a check since it joined (replicas configured at
 * startup are admitted from the start; discovered ones join without)
 * @param up whether its last check or connection reached it
 * @param lagging whether its replay lag exceeds {@code max-replica-lag}
 * @param promoted whether its last check found it out of recovery (a primary now)
 * @param streaming whether it receives WAL from a primary; true while not known
 * @param lagSeconds replay lag, NaN while unknown
 * @param lagBytes WAL received but not replayed yet, NaN while unknown
 * @param latencyMillis how long its last check took, NaN before the first
 * @param error why it is down (or its first check failed), {@code null} otherwise
 * @param address {@code host:port} as the topology source named it, {@code null} for a
 * configured replica
 * @param sourceLagBytes the lag the topology source reports (Patroni's), {@code null}
 * when it reports none
 * @param position how far it has replayed, shared by every snapshot of this node
 */
public record ReplicaNode(ManagedPool pool, boolean admitted, boolean up, boolean lagging, boolean promoted,
		boolean streaming, double lagSeconds, double lagBytes, double latencyMillis, @Nullable String error,
		@Nullable String address, @Nullable Long sourceLagBytes, ReplayPosition position) {

	/**
	 * A replica configured at startup: up and admitted until its first check says
	 * otherwise, so reads reach it from the first request.
	 * @param pool its pool
	 * @return the node
	 */
	public static ReplicaNode configured(ManagedPool pool) {
		return new ReplicaNode(pool, true, true, false, false, true, Double.NaN, Double.NaN, Double.NaN, null, null,
				null, new ReplayPosition());
	}

	/**
	 * A replica the topology source named: it takes reads only after its first check
	 * passed.
	 * @param pool its pool
	 * @param address {@code host:port} as the source named it
	 * @param sourceLagBytes the source's own lag figure, or {@code null}
	 * @return the node
	 */
	public static ReplicaNode joining(ManagedPool pool, String address, @Nullable Long sourceLagBytes) {
		return new ReplicaNode(pool, false, true, false, false, true, Double.NaN, Double.NaN, Double.NaN, null, address,
				sourceLagBytes, new ReplayPosition());
	}

	/**
	 * The replica's name.
	 * @return its pool's name
	 */
	public String name() {
		return this.pool.name();
	}

	/**
	 * Whether reads are routed to it.
	 * @return true when admitted, up and not lagging
	 */
	public boolean isAvailable() {
		return this.admitted && this.up && !this.lagging;
	}

	/**
	 * The state as a word.
	 * @return {@code JOINING}, {@code DOWN}, {@code PROMOTED}, {@code LAGGING} or
	 * {@code UP}
	 */
	public String status() {
		return !this.admitted ? "JOINING"
				: !this.up ? "DOWN" : this.promoted ? "PROMOTED" : this.lagging ? "LAGGING" : "UP";
	}

	/**
	 * This node taken out of routing after a failure.
	 * @param why the failure
	 * @return the changed node
	 */
	public ReplicaNode down(String why) {
		return new ReplicaNode(this.pool, this.admitted, false, this.lagging, this.promoted, this.streaming,
				this.lagSeconds, this.lagBytes, this.latencyMillis, why, this.address, this.sourceLagBytes,
				this.position);
	}

	/**
	 * This node after a check that reached it.
	 * @param latencyMillis how long the check took
	 * @param lagSeconds replay lag, NaN when unknown
	 * @param lagBytes WAL not replayed yet, NaN when unknown
	 * @param lagging whether the lag keeps it out
	 * @param promoted whether it is out of recovery
	 * @param streaming whether it receives WAL
	 * @return the changed node, admitted unless its lag keeps it out
	 */
	public ReplicaNode reached(double latencyMillis, double lagSeconds, double lagBytes, boolean lagging,
			boolean promoted, boolean streaming) {
		return new ReplicaNode(this.pool, this.admitted || !lagging, true, lagging, promoted, streaming, lagSeconds,
				lagBytes, latencyMillis, null, this.address, this.sourceLagBytes, this.position);
	}

	/**
	 * This node after a check that did not reach it.
	 * @param latencyMillis how long the check took
	 * @param why why it failed
	 * @return the changed node, down
	 */
	public ReplicaNode unreachable(double latencyMillis, String why) {
		return new ReplicaNode(this.pool, this.admitted, false, false, this.promoted, this.streaming, Double.NaN,
				Double.NaN, latencyMillis, why, this.address, this.sourceLagBytes, this.position);
	}

	/**
	 * This node with the topology source's latest lag figure.
	 * @param lagBytes the source's lag, or {@code null}
	 * @return the changed node
	 */
	public ReplicaNode withSourceLag(@Nullable Long lagBytes) {
		return new ReplicaNode(this.pool, this.admitted, this.up, this.lagging, this.promoted, this.streaming,
				this.lagSeconds, this.lagBytes, this.latencyMillis, this.error, this.address, lagBytes, this.position);
	}

}
