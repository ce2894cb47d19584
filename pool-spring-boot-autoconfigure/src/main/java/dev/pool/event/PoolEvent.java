package dev.pool.event;

import org.springframework.context.ApplicationEvent;

/**
 * Something happened to one of the starter's pools; the base of every event it publishes,
 * so one listener can hear them all.
 */
public abstract class PoolEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	private final String pool;

	/**
	 * An event about a pool.
	 * @param pool the pool's name, also the event's source
	 */
	protected PoolEvent(String pool) {
		super(pool);
		this.pool = pool;
	}

	/**
	 * The pool's name: {@code primary}, a replica's or an extra datasource's name.
	 * @return the name
	 */
	public String getPool() {
		return this.pool;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[pool=" + this.pool + details() + "]";
	}

	/**
	 * What else the event carries, for {@link #toString()}.
	 * @return {@code ", key=value"} pairs or an empty string
	 */
	protected String details() {
		return "";
	}

}
