package dev.pool.internal.routing;

/**
 * Per-thread routing state: whether the thread runs inside a {@code @ReadOnly} method and
 * whether a replica broke under it, so the read can be run again elsewhere.
 */
public final class ReadOnlyContext {

	// Per instance rather than static so two routers in one JVM (tests, several contexts)
	// stay apart.
	private final ThreadLocal<Scope> scopes = ThreadLocal.withInitial(Scope::new);

	/** Whether the current thread runs inside a {@code @ReadOnly} scope. */
	boolean isReadOnly() {
		return this.scopes.get().readOnly;
	}

	Scope scope() {
		return this.scopes.get();
	}

	// Recorded only when a replica connection breaks, so a routed read pays no
	// bookkeeping.
	void replicaBroke() {
		Scope scope = this.scopes.get();
		if (scope.readOnly) {
			scope.replicaBroke = true;
		}
	}

	/** The mutable per-thread state; one instance per thread, never shared. */
	static final class Scope {

		boolean readOnly;

		boolean replicaBroke;

	}

}
