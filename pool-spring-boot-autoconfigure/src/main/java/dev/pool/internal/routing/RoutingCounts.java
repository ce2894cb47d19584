package dev.pool.internal.routing;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import dev.pool.internal.datasource.ManagedPool;

/**
 * Counts routing decisions per pool and reason in striped counters: no allocation and no
 * lock on the connection path; read by the pools endpoint and published as
 * {@code pool.routing.decisions}.
 */
public final class RoutingCounts implements RoutingObserver {

	private static final RoutingReason[] REASONS = RoutingReason.values();

	private final List<String> pools;

	private final LongAdder[][] counts;

	/**
	 * Creates zeroed counters.
	 * @param pools every pool name, in index order (primary first)
	 */
	public RoutingCounts(List<String> pools) {
		this.pools = List.copyOf(pools);
		this.counts = new LongAdder[pools.size()][REASONS.length];
		for (LongAdder[] row : this.counts) {
			for (int i = 0; i < row.length; i++) {
				row[i] = new LongAdder();
			}
		}
	}

	@Override
	public void routed(ManagedPool target, RoutingReason reason) {
		this.counts[target.index()][reason.ordinal()].increment();
	}

	/**
	 * The pool names.
	 * @return the names in index order
	 */
	public List<String> pools() {
		return this.pools;
	}

	/**
	 * The live counter for a pool and reason.
	 * @param pool the pool name
	 * @param reason the reason
	 * @return the counter
	 */
	public LongAdder counter(String pool, RoutingReason reason) {
		int index = this.pools.indexOf(pool);
		if (index < 0) {
			throw new IllegalArgumentException("No pool named '" + pool + "'");
		}
		return this.counts[index][reason.ordinal()];
	}

}
