package dev.pool.internal.routing;

import java.util.concurrent.atomic.LongAdder;

import dev.pool.internal.datasource.ManagedPool;

/**
 * Counts routing decisions per pool and reason in striped counters each pool carries: no
 * allocation, no lookup and no lock on the connection path; read by the pools endpoint
 * and published as {@code pool.routing.decisions}. A pool that joins at runtime counts
 * from its first borrow, and its counts go with it.
 */
public final class RoutingCounts implements RoutingObserver {

	static {
		if (RoutingReason.values().length > ManagedPool.COUNTERS) {
			throw new IllegalStateException("More routing reasons than a pool has counters");
		}
	}

	@Override
	public void routed(ManagedPool target, RoutingReason reason) {
		target.counter(reason.ordinal()).increment();
	}

	/**
	 * The live counter for a pool and reason.
	 * @param pool the pool
	 * @param reason the reason
	 * @return the counter
	 */
	public LongAdder counter(ManagedPool pool, RoutingReason reason) {
		return pool.counter(reason.ordinal());
	}

}
