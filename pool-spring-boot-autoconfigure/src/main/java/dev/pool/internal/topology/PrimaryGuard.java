package dev.pool.internal.topology;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;

import dev.pool.internal.datasource.ManagedPool;

/**
 * Borrows from one primary pool, possibly refusing at once (an open circuit breaker), and
 * hears when a primary connection comes back intact after use. Each primary pool has its
 * own: when the topology names a new primary, its pool gets a new guard, closed.
 */
public interface PrimaryGuard {

	/** No guard: borrow directly. */
	PrimaryGuard NONE = new PrimaryGuard() {

		@Override
		public Connection borrow(ManagedPool primary) throws SQLException {
			return primary.dataSource().getConnection();
		}

		@Override
		public void returned() {
		}

		@Override
		public BreakerState breaker() {
			return BreakerState.DISABLED;
		}

	};

	/**
	 * Borrows a connection from the primary pool.
	 * @param primary the primary pool
	 * @return a connection
	 * @throws SQLException when the pool gives none, or the guard refuses at once
	 */
	Connection borrow(ManagedPool primary) throws SQLException;

	/**
	 * A primary connection went back to the pool intact after running statements: the
	 * server answered.
	 */
	void returned();

	/**
	 * The breaker's state now.
	 * @return the state, {@link BreakerState#DISABLED} without a breaker
	 */
	BreakerState breaker();

	/**
	 * Tells a listener of every later state change (the topology, which publishes it).
	 * @param listener called on the thread that changed the state
	 */
	default void listen(Consumer<BreakerState> listener) {
	}

	/**
	 * Evidence that the primary may answer again (a node of its URL was seen promoted):
	 * an open breaker lets its probe through now instead of after its open duration.
	 * @param why what was seen, for the log
	 */
	default void probeNow(String why) {
	}

	/**
	 * The pool is no longer the primary: borrows still in flight through this guard are
	 * refused at once, and it stops listening to its pool.
	 */
	default void retire() {
	}

}
