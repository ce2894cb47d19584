package dev.pool.internal.tenant;

import java.sql.Connection;
import java.sql.SQLException;

import dev.pool.internal.routing.Tenancy;

/**
 * The router's {@link Tenancy} while tenancy is on: the tenant's connection while one is
 * in scope, the router's own otherwise.
 */
public final class ScopedTenancy implements Tenancy {

	private final TenantContext context;

	private final TenantRegistry registry;

	/**
	 * Creates the tenancy.
	 * @param context the thread's tenant
	 * @param registry where tenant connections come from
	 */
	public ScopedTenancy(TenantContext context, TenantRegistry registry) {
		this.context = context;
		this.registry = registry;
	}

	@Override
	public Connection connection(Untenanted untenanted) throws SQLException {
		String tenant = this.context.current();
		return (tenant != null) ? this.registry.connection(tenant) : untenanted.get();
	}

}
