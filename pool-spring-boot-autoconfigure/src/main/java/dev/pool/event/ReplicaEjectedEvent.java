package dev.pool.event;

/**
 * A replica was taken out of read routing: a connection to it was refused or broke, or
 * its check failed.
 */
public final class ReplicaEjectedEvent extends PoolEvent {

	private static final long serialVersionUID = 1L;

	private final String reason;

	/**
	 * @param pool the replica's pool
	 * @param reason why, as health shows it
	 */
	public ReplicaEjectedEvent(String pool, String reason) {
		super(pool);
		this.reason = reason;
	}

	/**
	 * Why it was ejected.
	 * @return for example {@code a connection broke while in use: PSQLException: ...}
	 */
	public String getReason() {
		return this.reason;
	}

	@Override
	protected String details() {
		return ", reason=" + this.reason;
	}

}
