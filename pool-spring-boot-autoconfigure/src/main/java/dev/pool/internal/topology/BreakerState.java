package dev.pool.internal.topology;

import java.time.Duration;

/**
 * A primary's circuit breaker at one moment.
 *
 * @param state {@code CLOSED}, {@code OPEN}, {@code HALF_OPEN} or {@code DISABLED}
 * @param openUntilNanos while open, the {@link System#nanoTime()} at which it lets a
 * probe through; 0 otherwise
 */
public record BreakerState(String state, long openUntilNanos) {

	/** No breaker. */
	public static final BreakerState DISABLED = new BreakerState("DISABLED", 0);

	/** A closed breaker. */
	public static final BreakerState CLOSED = new BreakerState("CLOSED", 0);

	/**
	 * Time left before an open breaker lets a probe through.
	 * @return the time, zero when not open or already due
	 */
	public Duration remaining() {
		if (!"OPEN".equals(this.state)) {
			return Duration.ZERO;
		}
		long left = this.openUntilNanos - System.nanoTime();
		return (left > 0) ? Duration.ofNanos(left) : Duration.ZERO;
	}

}
