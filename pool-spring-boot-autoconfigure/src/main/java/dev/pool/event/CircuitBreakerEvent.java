package dev.pool.event;

/**
 * The primary's circuit breaker changed state: {@code OPEN} (writes fail at once),
 * {@code HALF_OPEN} (one probe decides) or {@code CLOSED} (writes flow again).
 */
public final class CircuitBreakerEvent extends PoolEvent {

	private static final long serialVersionUID = 1L;

	private final String from;

	private final String to;

	/**
	 * @param pool the primary's pool
	 * @param from the state before
	 * @param to the state now
	 */
	public CircuitBreakerEvent(String pool, String from, String to) {
		super(pool);
		this.from = from;
		this.to = to;
	}

	/**
	 * The state before.
	 * @return {@code OPEN}, {@code HALF_OPEN} or {@code CLOSED}
	 */
	public String getFrom() {
		return this.from;
	}

	/**
	 * The state now.
	 * @return {@code OPEN}, {@code HALF_OPEN} or {@code CLOSED}
	 */
	public String getTo() {
		return this.to;
	}

	@Override
	protected String details() {
		return ", " + this.from + " -> " + this.to;
	}

}
