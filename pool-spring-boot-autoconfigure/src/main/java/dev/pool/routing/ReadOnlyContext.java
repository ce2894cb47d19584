package dev.pool.routing;

/**
 * The per-thread "inside a {@code @ReadOnly} method" flag that the router consults when a
 * connection is not part of a transaction.
 */
public final class ReadOnlyContext {

	// Per instance rather than static so two routers in one JVM (tests, several contexts) stay apart.
	private final ThreadLocal<Boolean> readOnly = ThreadLocal.withInitial(() -> Boolean.FALSE);

	/** Whether the current thread runs inside a {@code @ReadOnly} scope. */
	public boolean isReadOnly() {
		return this.readOnly.get();
	}

	/** Enters a read-only scope and returns the previous state, to pass to {@link #restore}. */
	public boolean enter() {
		boolean previous = this.readOnly.get();
		if (!previous) {
			this.readOnly.set(Boolean.TRUE);
		}
		return previous;
	}

	/** Leaves a scope entered with {@link #enter()}. */
	public void restore(boolean previous) {
		if (!previous) {
			// set rather than remove: a removed entry is re-created (allocated) on the next get().
			this.readOnly.set(Boolean.FALSE);
		}
	}

}
