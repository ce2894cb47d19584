package dev.pool.routing;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

/**
 * Opens a {@link ReadOnlyContext read-only scope} around a {@code @ReadOnly} method; the router
 * still sends anything inside a read-write transaction to the primary.
 */
public final class ReadOnlyInterceptor implements MethodInterceptor {

	private final ReadOnlyContext context;

	public ReadOnlyInterceptor(ReadOnlyContext context) {
		this.context = context;
	}

	@Override
	public Object invoke(MethodInvocation invocation) throws Throwable {
		boolean previous = this.context.enter();
		try {
			return invocation.proceed();
		}
		finally {
			this.context.restore(previous);
		}
	}

}
