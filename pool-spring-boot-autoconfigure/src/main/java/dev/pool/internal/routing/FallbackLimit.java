package dev.pool.internal.routing;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many primary connections reads that fell back (no replica could serve them) may
 * hold at once, so writes keep the rest of the primary's pool when every replica is gone.
 * Consulted only on the fallback path: a read a replica serves and every write never
 * touch it.
 */
final class FallbackLimit {

	private final int limit;

	private final AtomicInteger held = new AtomicInteger();

	/**
	 * Creates the limit.
	 * @param limit the most primary connections fallen-back reads may hold, at least 1
	 */
	FallbackLimit(int limit) {
		this.limit = limit;
	}

	/** Takes one of the connections, if one is left. */
	boolean tryAcquire() {
		while (true) {
			int current = this.held.get();
			if (current >= this.limit) {
				return false;
			}
			if (this.held.compareAndSet(current, current + 1)) {
				return true;
			}
		}
	}

	/** Gives one back. */
	void release() {
		this.held.decrementAndGet();
	}

	/** The limit. */
	int limit() {
		return this.limit;
	}

	/** Connections fallen-back reads hold now. */
	int held() {
		return this.held.get();
	}

}
