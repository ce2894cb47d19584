package dev.pool.event;

/**
 * A replica left the topology: it takes no more reads and its pool is retired.
 */
public final class ReplicaRemovedEvent extends PoolEvent {

	private static final long serialVersionUID = 1L;

	/**
	 * @param pool the replica's pool
	 */
	public ReplicaRemovedEvent(String pool) {
		super(pool);
	}

}
