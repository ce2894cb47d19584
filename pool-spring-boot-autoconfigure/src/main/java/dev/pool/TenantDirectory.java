package dev.pool;

import java.util.Collection;

/**
 * Which tenants exist, for applications whose tenants are not a fixed list in
 * {@code app.datasource.tenants.known} (for example rows of a table on the primary, read
 * and cached by the implementation). Asked on every request that names a tenant, so it
 * should answer from memory.
 */
public interface TenantDirectory {

	/**
	 * Every tenant, for {@code app.datasource.tenants.flyway.migrate-on-startup}.
	 * @return the tenant ids
	 */
	Collection<String> all();

	/**
	 * Whether a tenant exists; an id that does not is answered with 404 and touches no
	 * database of the starter's.
	 * @param tenantId an id that already matched the id pattern
	 * @return true when the tenant exists
	 */
	default boolean exists(String tenantId) {
		return all().contains(tenantId);
	}

}
