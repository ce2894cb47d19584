package dev.pool.internal.routing;

import dev.pool.internal.topology.LiveTopology;
import org.jspecify.annotations.Nullable;

/**
 * Per-thread routing state: whether the thread runs inside a {@code @ReadOnly} method and
 * whether a replica broke under it, so the read can be run again elsewhere; and the
 * topology whose replicas bound how often it may run again.
 */
public final class ReadOnlyContext {

	// Per instance rather than static so two routers in one JVM (tests, several contexts)
	// stay apart.
	private final ThreadLocal<Scope> scopes = ThreadLocal.withInitial(Scope::new);

	// Set when the router is built, after the (early) @ReadOnly advisor that shares this
	// context.
	private volatile @Nullable LiveTopology topology;

	void follow(LiveTopology topology) {
		this.topology = topology;
	}

	/**
	 * How many times a {@code @ReadOnly} method may run when replicas break under it:
	 * once per replica in the topology now (each retry ejects one), plus one that the
	 * primary may serve.
	 */
	int maxAttempts() {
		LiveTopology topology = this.topology;
		return (topology != null) ? topology.current().replicas().size() + 1 : 1;
	}

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
