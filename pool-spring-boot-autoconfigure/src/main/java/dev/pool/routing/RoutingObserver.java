package dev.pool.routing;

/**
 * Told of every routing decision; implementations must be allocation-free and non-blocking, as
 * they run on every {@code getConnection()}.
 */
@FunctionalInterface
public interface RoutingObserver {

	/** An observer that does nothing. */
	RoutingObserver NONE = (target, reason) -> {
	};

	/**
	 * Records that a connection was routed.
	 * @param target the pool that serves it
	 * @param reason why
	 */
	void routed(RoutedPool target, RoutingReason reason);

}
