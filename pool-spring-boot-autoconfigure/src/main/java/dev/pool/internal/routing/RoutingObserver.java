package dev.pool.internal.routing;

import dev.pool.internal.datasource.ManagedPool;

/**
 * Told of every routing decision; implementations must be allocation-free and
 * non-blocking, as they run on every {@code getConnection()}.
 */
@FunctionalInterface
interface RoutingObserver {

	/** An observer that does nothing. */
	RoutingObserver NONE = (target, reason) -> {
	};

	/**
	 * Records that a connection was routed.
	 * @param target the pool that serves it
	 * @param reason why
	 */
	void routed(ManagedPool target, RoutingReason reason);

}
