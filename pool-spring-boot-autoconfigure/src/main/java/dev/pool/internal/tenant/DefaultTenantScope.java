package dev.pool.internal.tenant;

import java.util.Optional;
import java.util.function.Supplier;

import dev.pool.TenantScope;

/**
 * The {@link TenantScope} bean: checks the id, then puts the tenant in scope around the
 * work.
 */
public final class DefaultTenantScope implements TenantScope {

	private final TenantIds ids;

	private final TenantContext context;

	/**
	 * Creates the scope.
	 * @param ids the id check
	 * @param context the thread's tenant
	 */
	public DefaultTenantScope(TenantIds ids, TenantContext context) {
		this.ids = ids;
		this.context = context;
	}

	@Override
	public void run(String tenantId, Runnable work) {
		call(tenantId, () -> {
			work.run();
			return null;
		});
	}

	@Override
	public <T> T call(String tenantId, Supplier<T> work) {
		String previous = this.context.enter(this.ids.check(tenantId));
		try {
			return work.get();
		}
		finally {
			this.context.restore(previous);
		}
	}

	@Override
	public Optional<String> current() {
		return Optional.ofNullable(this.context.current());
	}

}
