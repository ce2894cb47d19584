package dev.pool.internal.replica;

import java.util.concurrent.atomic.AtomicLong;

import dev.pool.internal.datasource.ManagedPool;
import org.jspecify.annotations.Nullable;

/**
 * What the router knows about one replica: whether it answers, its replay lag, and
 * whether it currently receives reads. Written by the health check and by routing
 * failures, read by health, metrics and the pools endpoint.
 */
public final class ReplicaState {

	private final ManagedPool pool;

	private volatile boolean up = true;

	private volatile double lagSeconds = Double.NaN;

	private volatile boolean lagging;

	private volatile @Nullable String error;

	private volatile double latencyMillis = Double.NaN;

	private volatile long replayPosition;

	private volatile double lagBytes = Double.NaN;

	private volatile boolean promoted;

	private volatile boolean streaming = true;

	// When the next on-demand look at the replay position may happen (System.nanoTime()).
	private final AtomicLong nextPositionCheck = new AtomicLong(System.nanoTime());

	ReplicaState(ManagedPool pool) {
		this.pool = pool;
	}

	/**
	 * The replica's pool.
	 * @return the pool
	 */
	public ManagedPool pool() {
		return this.pool;
	}

	/**
	 * The replica's name.
	 * @return the pool name
	 */
	public String name() {
		return this.pool.name();
	}

	/**
	 * Whether the last check or read reached it.
	 * @return true when up (optimistically true before the first check)
	 */
	public boolean isUp() {
		return this.up;
	}

	/**
	 * Replay lag.
	 * @return seconds; NaN while unknown (not checked yet, unreachable, or not
	 * PostgreSQL)
	 */
	public double lagSeconds() {
		return this.lagSeconds;
	}

	/**
	 * Whether its lag exceeds {@code max-replica-lag}, keeping it out of routing.
	 * @return true while lagging
	 */
	public boolean isLagging() {
		return this.lagging;
	}

	/**
	 * Whether reads are routed to it.
	 * @return true when up and not lagging
	 */
	public boolean isAvailable() {
		return this.up && !this.lagging;
	}

	/**
	 * Why it was ejected.
	 * @return the reason, or {@code null} while it is up
	 */
	public @Nullable String error() {
		return this.error;
	}

	/**
	 * How long the last check took.
	 * @return milliseconds; NaN before the first check
	 */
	public double latencyMillis() {
		return this.latencyMillis;
	}

	/**
	 * The WAL position the replica has replayed, as last seen by a check or a read.
	 * @return the position, 0 while unknown (not checked yet, or not PostgreSQL)
	 */
	public long replayPosition() {
		return this.replayPosition;
	}

	/**
	 * WAL the replica has received but not replayed yet, at its last check.
	 * @return bytes; NaN while unknown
	 */
	public double lagBytes() {
		return this.lagBytes;
	}

	/**
	 * Records a replay position seen on the replica; positions only move forward.
	 * @param position the position seen
	 */
	public void replayedTo(long position) {
		if (position > this.replayPosition) {
			this.replayPosition = position;
		}
	}

	/**
	 * Claims the next look at the replay position, at most one per interval across every
	 * thread.
	 * @param intervalNanos the interval
	 * @return true for the one caller that should look now
	 */
	public boolean claimPositionCheck(long intervalNanos) {
		long now = System.nanoTime();
		long next = this.nextPositionCheck.get();
		return now - next >= 0 && this.nextPositionCheck.compareAndSet(next, now + intervalNanos);
	}

	/**
	 * Whether its last check found it out of recovery: it was promoted to primary. It
	 * keeps serving reads.
	 * @return true once promoted
	 */
	public boolean isPromoted() {
		return this.promoted;
	}

	/**
	 * Whether it receives WAL from a primary; a replica whose primary is gone does not,
	 * and its lag is then unknown.
	 * @return false when its last check found no WAL receiver; true when not known
	 */
	public boolean isStreaming() {
		return this.streaming;
	}

	/**
	 * The state as a word.
	 * @return {@code UP}, {@code PROMOTED}, {@code LAGGING} or {@code DOWN}
	 */
	public String status() {
		return !this.up ? "DOWN" : this.promoted ? "PROMOTED" : this.lagging ? "LAGGING" : "UP";
	}

	void down(String error) {
		this.error = error;
		this.up = false;
	}

	void up() {
		this.up = true;
		this.error = null;
	}

	void lag(double lagSeconds, boolean lagging) {
		this.lagSeconds = lagSeconds;
		this.lagging = lagging;
	}

	void checked(double latencyMillis) {
		this.latencyMillis = latencyMillis;
	}

	void lagBytes(double lagBytes) {
		this.lagBytes = lagBytes;
	}

	void role(boolean promoted, boolean streaming) {
		this.promoted = promoted;
		this.streaming = streaming;
	}

}
