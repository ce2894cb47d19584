package dev.pool.event;

/**
 * A replica that was ejected takes reads again: its check passed.
 */
public final class ReplicaReadmittedEvent extends PoolEvent {

	private static final long serialVersionUID = 1L;

	/**
	 * @param pool the replica's pool
	 */
	public ReplicaReadmittedEvent(String pool) {
		super(pool);
	}

}
