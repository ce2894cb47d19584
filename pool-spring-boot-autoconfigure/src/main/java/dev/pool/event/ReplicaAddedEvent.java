package dev.pool.event;

import org.jspecify.annotations.Nullable;

/**
 * A topology source named a new replica: it has a pool and takes reads after its first
 * check.
 */
public final class ReplicaAddedEvent extends PoolEvent {

	private static final long serialVersionUID = 1L;

	private final @Nullable String address;

	/**
	 * @param pool the replica's pool
	 * @param address its host:port as the source named it, or {@code null}
	 */
	public ReplicaAddedEvent(String pool, @Nullable String address) {
		super(pool);
		this.address = address;
	}

	/**
	 * Where the replica is.
	 * @return host:port, or {@code null}
	 */
	public @Nullable String getAddress() {
		return this.address;
	}

	@Override
	protected String details() {
		return ", address=" + this.address;
	}

}
