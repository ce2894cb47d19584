package dev.pool.internal.datasource;

import java.sql.SQLException;

/**
 * Hands a pool's events to a listener attached after the pool started: the pool exists
 * before the breaker or the replica set that listens to it.
 */
final class PoolEventRelay implements PoolEvents {

	private volatile PoolEvents listener = PoolEvents.NONE;

	void listener(PoolEvents listener) {
		this.listener = listener;
	}

	@Override
	public void connected() {
		this.listener.connected();
	}

	@Override
	public void connectFailed(SQLException failure) {
		this.listener.connectFailed(failure);
	}

	@Override
	public void brokenInUse(SQLException failure) {
		this.listener.brokenInUse(failure);
	}

}
