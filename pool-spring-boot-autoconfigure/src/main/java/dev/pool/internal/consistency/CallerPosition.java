package dev.pool.internal.consistency;

/**
 * One thread's read-your-writes state: what its own writes reached and what a token asked
 * it to see, each with the time it was issued. Mutable, never shared between threads.
 */
final class CallerPosition {

	long written;

	long writtenAtMillis;

	long applied;

	long appliedAtMillis;

	void clear() {
		this.written = 0;
		this.writtenAtMillis = 0;
		this.applied = 0;
		this.appliedAtMillis = 0;
	}

}
