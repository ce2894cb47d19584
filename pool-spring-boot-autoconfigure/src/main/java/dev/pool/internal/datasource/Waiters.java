package dev.pool.internal.datasource;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Knows which threads are inside a pool's {@code getConnection()}, so that when the
 * pool's server is known to be gone (the primary's breaker opens, a replica is ejected)
 * they stop waiting at once instead of at their {@code connection-timeout}. HikariCP
 * offers no way to end a wait but interrupting the thread, so a waiter is interrupted
 * only while it is still provably inside the borrow, and the interrupt is cleared before
 * the thread goes on.
 * <p>
 * Cost per borrow: one thread-local lookup, one ordered store and one atomic exchange on
 * a field only the borrowing thread and a releasing thread ever touch.
 */
public final class Waiters {

	private static final VarHandle STATE;

	static {
		try {
			STATE = MethodHandles.lookup().findVarHandle(Waiter.class, "state", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private static final long IDLE = 0;

	// Claimed by a releaser, which interrupts the thread and then says so.
	private static final long CLAIMED = -1;

	private static final int POOL_BITS = 16;

	private final ThreadLocal<Waiter> current = ThreadLocal.withInitial(this::register);

	private final Set<Reference<Waiter>> all = ConcurrentHashMap.newKeySet();

	private final ReferenceQueue<Waiter> collected = new ReferenceQueue<>();

	/**
	 * Borrows from a pool, releasable while it waits.
	 * @param pool the pool
	 * @param epoch the caller's view of the pool's state; a release names the highest
	 * epoch it ends
	 * @return a connection
	 * @throws WaitReleasedException when the wait was ended by {@link #release}
	 * @throws SQLException when the pool gives none
	 */
	public Connection borrow(ManagedPool pool, long epoch) throws SQLException {
		Waiter waiter = this.current.get();
		waiter.enter(((epoch + 1) << POOL_BITS) | (pool.index() + 1));
		Connection connection;
		try {
			connection = pool.dataSource().getConnection();
		}
		catch (SQLException ex) {
			if (waiter.leave()) {
				throw new WaitReleasedException(pool.name(), ex);
			}
			if (ex instanceof SQLTransientConnectionException) {
				// HikariCP's timeout: the failure path only, never a borrow that
				// succeeded.
				pool.exhausted(ex);
			}
			throw ex;
		}
		// A release that came as the connection did: keep the connection, drop the
		// interrupt.
		waiter.leave();
		return connection;
	}

	/**
	 * Ends the wait of every thread borrowing from a pool under an epoch up to the given
	 * one.
	 * @param pool the pool
	 * @param maxEpoch the highest epoch released; {@link Long#MAX_VALUE} for all
	 * @return how many waits were ended
	 */
	public int release(ManagedPool pool, long maxEpoch) {
		long poolBits = pool.index() + 1;
		int released = 0;
		for (Reference<Waiter> reference : this.all) {
			Waiter waiter = reference.get();
			if (waiter == null) {
				continue;
			}
			long state = waiter.state;
			if (state > 0 && (state & ((1L << POOL_BITS) - 1)) == poolBits && (state >>> POOL_BITS) - 1 <= maxEpoch
					&& waiter.claim(state)) {
				released++;
			}
		}
		return released;
	}

	private Waiter register() {
		Reference<? extends Waiter> gone;
		while ((gone = this.collected.poll()) != null) {
			this.all.remove(gone);
		}
		Waiter waiter = new Waiter(Thread.currentThread());
		this.all.add(new WeakReference<>(waiter, this.collected));
		return waiter;
	}

	/** One thread's borrow state; reachable from the registry only weakly. */
	static final class Waiter {

		private final Thread thread;

		@SuppressWarnings("unused") // through STATE
		private volatile long state;

		private volatile boolean interrupted;

		Waiter(Thread thread) {
			this.thread = thread;
		}

		void enter(long state) {
			// Ordered but not fenced: the pool publishes it with the atomic operation it
			// performs before any thread parks, and a release rescans later.
			STATE.setRelease(this, state);
		}

		// True when a releaser claimed this wait; the interrupt it sent is cleared.
		boolean leave() {
			if ((long) STATE.getAndSet(this, IDLE) != CLAIMED) {
				return false;
			}
			while (!this.interrupted) {
				Thread.onSpinWait();
			}
			this.interrupted = false;
			Thread.interrupted();
			return true;
		}

		boolean claim(long expected) {
			if (!STATE.compareAndSet(this, expected, CLAIMED)) {
				return false;
			}
			this.thread.interrupt();
			this.interrupted = true;
			return true;
		}

	}

}
