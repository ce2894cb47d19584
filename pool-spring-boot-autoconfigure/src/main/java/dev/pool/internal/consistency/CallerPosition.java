package dev.pool.internal.consistency;

/**
 * One thread's read-your-writes state: what its own writes reached (or that one has not
 * been asked yet) and what a token asked it to see, each with the time it was issued.
 * Mutable, never shared between threads.
 */
final class CallerPosition {

	long written;

	long writtenAtMillis;

	long applied;

	long appliedAtMillis;

	// System.nanoTime() just after the latest write whose position is not read yet, 0
	// when there is none.
	long pendingSinceNanos;

	void clear() {
		this.pendingSinceNanos = 0;
		this.written = 0;
		this.writtenAtMillis = 0;
		this.applied = 0;
		this.appliedAtMillis = 0;
	}

}
