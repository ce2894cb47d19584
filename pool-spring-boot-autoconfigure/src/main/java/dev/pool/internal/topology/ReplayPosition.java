package dev.pool.internal.topology;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How far one replica is known to have replayed the primary's WAL, seen by its checks and
 * by reads that asked it. Not part of a {@link Topology} snapshot's value: it only moves
 * forward, many times a second under read-your-writes, so it is a counter that every
 * snapshot of the same node shares (like a meter), not a state that is swapped.
 */
public final class ReplayPosition {

	private volatile long replayed;

	// When the next on-demand look at the position may happen (System.nanoTime()).
	private final AtomicLong nextCheck = new AtomicLong(System.nanoTime());

	/**
	 * The WAL position the replica has replayed, as last seen.
	 * @return bytes from 0/0; 0 while unknown (not checked yet, or not PostgreSQL)
	 */
	public long replayed() {
		return this.replayed;
	}

	/**
	 * Records a replay position seen on the replica; positions only move forward.
	 * @param position the position seen
	 */
	public void replayedTo(long position) {
		if (position > this.replayed) {
			this.replayed = position;
		}
	}

	/**
	 * Claims the next look at the replay position, at most one per interval across every
	 * thread.
	 * @param intervalNanos the interval
	 * @return true for the one caller that should look now
	 */
	public boolean claimCheck(long intervalNanos) {
		long now = System.nanoTime();
		long next = this.nextCheck.get();
		return now - next >= 0 && this.nextCheck.compareAndSet(next, now + intervalNanos);
	}

}
