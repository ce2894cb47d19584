package dev.pool.event;

/**
 * A request waited {@code connection-timeout} for a connection of a routed pool and got
 * none (answered 503 over HTTP); published at most once per pool per second.
 */
public final class PoolExhaustedEvent extends PoolEvent {

	private static final long serialVersionUID = 1L;

	private final int active;

	private final int maximum;

	private final int waiting;

	/**
	 * @param pool the pool
	 * @param active its connections in use then
	 * @param maximum its maximum size then
	 * @param waiting the threads still waiting then
	 */
	public PoolExhaustedEvent(String pool, int active, int maximum, int waiting) {
		super(pool);
		this.active = active;
		this.maximum = maximum;
		this.waiting = waiting;
	}

	/**
	 * Connections in use when the wait ended.
	 * @return the count
	 */
	public int getActive() {
		return this.active;
	}

	/**
	 * The pool's maximum size when the wait ended.
	 * @return connections
	 */
	public int getMaximum() {
		return this.maximum;
	}

	/**
	 * Threads still waiting for a connection when the wait ended.
	 * @return the count
	 */
	public int getWaiting() {
		return this.waiting;
	}

	@Override
	protected String details() {
		return ", active=" + this.active + ", maximum=" + this.maximum + ", waiting=" + this.waiting;
	}

}
