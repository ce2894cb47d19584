package dev.pool.routing;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts routing decisions per pool and reason in striped counters: no allocation and no lock
 * on the connection path; read by the pools endpoint and published as
 * {@code pool.routing.decisions}.
 */
public final class RoutingCounts implements RoutingObserver {

	private static final RoutingReason[] REASONS = RoutingReason.values();

	private final List<String> pools;

	private final LongAdder[][] counts;

	/** @param pools every pool name, in router index order (primary first) */
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
	public void routed(RoutedPool target, RoutingReason reason) {
		this.counts[target.index()][reason.ordinal()].increment();
	}

	/** The pool names, in index order. */
	public List<String> pools() {
		return this.pools;
	}

	/** The live counter for a pool and reason. */
	public LongAdder counter(String pool, RoutingReason reason) {
		int index = this.pools.indexOf(pool);
		if (index < 0) {
			throw new IllegalArgumentException("No pool named '" + pool + "'");
		}
		return this.counts[index][reason.ordinal()];
	}

}
