package dev.pool.internal.topology;

import dev.pool.internal.datasource.ManagedPool;
import org.jspecify.annotations.Nullable;

/**
 * The primary at one moment: its pool, the circuit breaker that guards it, and the
 * breaker's state.
 *
 * @param pool the primary's pool
 * @param guard the breaker in front of this pool (each primary pool has its own)
 * @param breaker the breaker's state when this snapshot was taken
 * @param member the topology source's name for the node, {@code null} when configured
 * @param address {@code host:port} as the source named it, {@code null} when configured
 */
public record PrimaryNode(ManagedPool pool, PrimaryGuard guard, BreakerState breaker, @Nullable String member,
		@Nullable String address) {

	/**
	 * The primary configured at startup.
	 * @param pool its pool
	 * @param guard its breaker
	 * @return the node
	 */
	public static PrimaryNode configured(ManagedPool pool, PrimaryGuard guard) {
		return new PrimaryNode(pool, guard, guard.breaker(), null, null);
	}

	/**
	 * This primary with its breaker's new state.
	 * @param state the state
	 * @return the changed node
	 */
	PrimaryNode withBreaker(BreakerState state) {
		return new PrimaryNode(this.pool, this.guard, state, this.member, this.address);
	}

}
