package dev.pool.internal.routing;

import dev.pool.internal.failure.ConnectionFailures;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Opens a read-only scope around a {@code @ReadOnly} method. When the replica serving it
 * breaks mid-read (a connection failure, not an SQL error), the replica is ejected and
 * the whole method, which only reads, runs again on another replica or the primary; this
 * happens only for the outermost {@code @ReadOnly} call and never inside an active
 * transaction.
 */
public final class ReadOnlyInterceptor implements MethodInterceptor {

	private final ReadOnlyContext context;

	/**
	 * Creates the interceptor.
	 * @param context the router's per-thread state, which also knows how many replicas
	 * the topology has now: each retry ejects one, and the primary may serve the last
	 * attempt
	 */
	public ReadOnlyInterceptor(ReadOnlyContext context) {
		this.context = context;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		ReadOnlyContext.Scope scope = this.context.scope();
		if (scope.readOnly) {
			return invocation.proceed();
		}
		int maxAttempts = this.context.maxAttempts();
		boolean retryable = maxAttempts > 1 && invocation instanceof ProxyMethodInvocation
				&& !TransactionSynchronizationManager.isActualTransactionActive();
		scope.readOnly = true;
		scope.replicaBroke = false;
		try {
			if (!retryable) {
				return invocation.proceed();
			}
			return proceedWithRetry((ProxyMethodInvocation) invocation, scope, maxAttempts);
		}
		finally {
			scope.readOnly = false;
			scope.replicaBroke = false;
		}
	}

	private @Nullable Object proceedWithRetry(ProxyMethodInvocation invocation, ReadOnlyContext.Scope scope,
			int maxAttempts) throws Throwable {
		// Each attempt runs a clone taken before proceeding, so it passes through the
		// interceptors after this one (a transaction, for instance) again.
		MethodInvocation attempt = invocation.invocableClone();
		for (int attempts = 1;; attempts++) {
			MethodInvocation next = (attempts < maxAttempts) ? ((ProxyMethodInvocation) attempt).invocableClone()
					: null;
			try {
				return attempt.proceed();
			}
			catch (Throwable ex) {
				// The router has ejected the replica already, when its broken connection
				// was closed.
				if (next == null || !scope.replicaBroke || !ConnectionFailures.isConnectionFailure(ex)) {
					throw ex;
				}
				scope.replicaBroke = false;
				attempt = next;
			}
		}
	}

}
