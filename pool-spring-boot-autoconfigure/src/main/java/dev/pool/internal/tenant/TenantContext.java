package dev.pool.internal.tenant;

import org.jspecify.annotations.Nullable;

/**
 * The tenant in scope on the current thread; set only by the web interceptor and the
 * {@link dev.pool.TenantScope}, after the id was checked.
 */
public final class TenantContext {

	private final ThreadLocal<@Nullable String> tenant = new ThreadLocal<>();

	/**
	 * The tenant in scope.
	 * @return the tenant id, or {@code null} outside any tenant scope
	 */
	public @Nullable String current() {
		return this.tenant.get();
	}

	/**
	 * Puts a checked tenant in scope.
	 * @param tenantId the tenant
	 * @return the tenant that was in scope before, for {@link #restore}
	 */
	public @Nullable String enter(String tenantId) {
		String previous = this.tenant.get();
		this.tenant.set(tenantId);
		return previous;
	}

	/**
	 * Ends a scope: the previous tenant, or none, is in scope again.
	 * @param previous what {@link #enter} returned
	 */
	public void restore(@Nullable String previous) {
		if (previous == null) {
			this.tenant.remove();
		}
		else {
			this.tenant.set(previous);
		}
	}

}
