package dev.pool.internal.datasource;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Hands a pool's events to the listeners attached after the pool started: the pool exists
 * before the breaker, the replica set and the topology refresher that listen to it.
 * Events are rare (connection attempts and broken connections, never a borrow), so a
 * copy-on-write list costs nothing that matters.
 */
final class PoolEventRelay implements PoolEvents {

	private final List<PoolEvents> listeners = new CopyOnWriteArrayList<>();

	void add(PoolEvents listener) {
		this.listeners.add(listener);
	}

	void remove(PoolEvents listener) {
		this.listeners.remove(listener);
	}

	@Override
	public void connected() {
		for (PoolEvents listener : this.listeners) {
			listener.connected();
		}
	}

	@Override
	public void connectFailed(SQLException failure) {
		for (PoolEvents listener : this.listeners) {
			listener.connectFailed(failure);
		}
	}

	@Override
	public void brokenInUse(SQLException failure) {
		for (PoolEvents listener : this.listeners) {
			listener.brokenInUse(failure);
		}
	}

	@Override
	public void exhausted(SQLException failure) {
		for (PoolEvents listener : this.listeners) {
			listener.exhausted(failure);
		}
	}

}
