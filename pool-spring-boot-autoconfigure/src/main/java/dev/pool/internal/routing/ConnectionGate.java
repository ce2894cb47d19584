package dev.pool.internal.routing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Lets the shutdown drain refuse new connections on every router at once, without giving
 * the routers themselves (the application's {@code DataSource}) a method that would let
 * any bean do the same.
 */
public final class ConnectionGate {

	private final List<RoutingDataSource> routers = new CopyOnWriteArrayList<>();

	private final List<Runnable> onClose = new CopyOnWriteArrayList<>();

	private volatile boolean closed;

	/**
	 * Runs an action when the gate closes (at once if it already has): for connection
	 * sources that are not routers, such as tenant pools.
	 * @param action what refuses new connections there
	 */
	public void onClose(Runnable action) {
		this.onClose.add(action);
		if (this.closed) {
			action.run();
		}
	}

	void attach(RoutingDataSource router) {
		this.routers.add(router);
		if (this.closed) {
			router.refuseNewConnections();
		}
	}

	/**
	 * From now on every router refuses new connections with a
	 * {@link dev.pool.DrainingException}; connections already handed out keep working.
	 */
	public void close() {
		this.closed = true;
		this.routers.forEach(RoutingDataSource::refuseNewConnections);
		this.onClose.forEach(Runnable::run);
	}

	/**
	 * Whether new connections are refused.
	 * @return true once {@link #close()} was called
	 */
	public boolean isClosed() {
		return this.closed;
	}

}
