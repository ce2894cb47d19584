package dev.pool.internal.topology;

import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

/**
 * How big one pool may be now, and why: its fleet share of a budget every instance of the
 * service shares on the pool's node, and the live maximum its load asks for within it.
 *
 * @param budget the service's connections on the node, all instances together; 0 without
 * a fleet budget
 * @param reserve connections of the budget kept for probes, migrations and operators
 * @param instances instances of the service seen on the node, this one included
 * @param instance this instance's id, {@code null} without a fleet budget
 * @param wanted slots this instance asks for on the node (its pool's target and its fleet
 * session)
 * @param share slots this instance may hold, max-min fair over every instance's ask
 * @param slots slots it holds now
 * @param liveMaximum the pool's maximum size now
 * @param reason why the live maximum last changed
 * @param changedAtMillis when it last changed (epoch milliseconds)
 * @param refused connection attempts the server refused for too many connections
 * (SQLState 53300, 53400), shared by every snapshot of this pool
 */
public record PoolShare(int budget, int reserve, int instances, @Nullable String instance, int wanted, int share,
		int slots, int liveMaximum, String reason, long changedAtMillis, LongAdder refused) {

	/**
	 * Whether the pool takes part in a fleet budget.
	 * @return false for a pool sized by its load alone
	 */
	public boolean inFleet() {
		return this.instance != null;
	}

}
