package dev.pool.routing;

/**
 * What the router knows about one replica: whether it answers, its replay lag, and whether it
 * currently receives reads. Written by the health check and by routing failures, read by
 * health, metrics and the pools endpoint.
 */
public final class ReplicaState {

	private final RoutedPool pool;

	private volatile boolean up = true;

	private volatile double lagSeconds = Double.NaN;

	private volatile boolean lagging;

	private volatile String error;

	private volatile double latencyMillis = Double.NaN;

	ReplicaState(RoutedPool pool) {
		this.pool = pool;
	}

	/** The replica's pool. */
	public RoutedPool pool() {
		return this.pool;
	}

	/** The replica's name. */
	public String name() {
		return this.pool.name();
	}

	/** Whether the last check or read reached it (optimistically true before the first check). */
	public boolean isUp() {
		return this.up;
	}

	/** Replay lag in seconds; NaN while unknown (not checked yet, unreachable, or not PostgreSQL). */
	public double lagSeconds() {
		return this.lagSeconds;
	}

	/** Whether its lag exceeds {@code max-replica-lag}, keeping it out of routing. */
	public boolean isLagging() {
		return this.lagging;
	}

	/** Whether reads are routed to it: up and not lagging. */
	public boolean isAvailable() {
		return this.up && !this.lagging;
	}

	/** Why it was ejected, or {@code null} while it is up. */
	public String error() {
		return this.error;
	}

	/** How long the last check took, in milliseconds; NaN before the first check. */
	public double latencyMillis() {
		return this.latencyMillis;
	}

	/** The state as a word: {@code UP}, {@code LAGGING} or {@code DOWN}. */
	public String status() {
		return !this.up ? "DOWN" : this.lagging ? "LAGGING" : "UP";
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

}
