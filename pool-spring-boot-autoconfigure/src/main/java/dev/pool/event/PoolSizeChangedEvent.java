package dev.pool.event;

/**
 * A pool's live maximum changed (adaptive sizing, a fleet share), with the reason
 * {@code /actuator/pools} shows.
 */
public final class PoolSizeChangedEvent extends PoolEvent {

	private static final long serialVersionUID = 1L;

	private final int previous;

	private final int current;

	private final String reason;

	/**
	 * @param pool the pool
	 * @param previous its live maximum before
	 * @param current its live maximum now
	 * @param reason why it changed
	 */
	public PoolSizeChangedEvent(String pool, int previous, int current, String reason) {
		super(pool);
		this.previous = previous;
		this.current = current;
		this.reason = reason;
	}

	/**
	 * The live maximum before.
	 * @return connections
	 */
	public int getPrevious() {
		return this.previous;
	}

	/**
	 * The live maximum now.
	 * @return connections
	 */
	public int getCurrent() {
		return this.current;
	}

	/**
	 * Why it changed.
	 * @return for example {@code 4 threads waited for a connection}
	 */
	public String getReason() {
		return this.reason;
	}

	@Override
	protected String details() {
		return ", " + this.previous + " -> " + this.current + ", reason=" + this.reason;
	}

}
