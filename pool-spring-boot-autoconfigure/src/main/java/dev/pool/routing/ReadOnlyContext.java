package dev.pool.routing;

/**
 * Per-thread routing state: whether the thread runs inside a {@code @ReadOnly} method and which
 * replica served it last, so a read that lost its replica can be retried elsewhere.
 */
public final class ReadOnlyContext {

	// Per instance rather than static so two routers in one JVM (tests, several contexts) stay apart.
	private final ThreadLocal<Scope> scopes = ThreadLocal.withInitial(Scope::new);

	private volatile ReplicaFailureHandler failureHandler = (replica, failure) -> {
	};

	/** Whether the current thread runs inside a {@code @ReadOnly} scope. */
	public boolean isReadOnly() {
		return this.scopes.get().readOnly;
	}

	Scope scope() {
		return this.scopes.get();
	}

	void onReplicaFailure(ReplicaFailureHandler handler) {
		this.failureHandler = handler;
	}

	void replicaFailed(RoutedPool replica, Throwable failure) {
		this.failureHandler.failed(replica, failure);
	}

	/** The mutable per-thread state; one instance per thread, never shared. */
	static final class Scope {

		boolean readOnly;

		RoutedPool lastReplica;

	}

	/** Told when a read failed because its replica's connection broke. */
	@FunctionalInterface
	interface ReplicaFailureHandler {

		void failed(RoutedPool replica, Throwable failure);

	}

}
