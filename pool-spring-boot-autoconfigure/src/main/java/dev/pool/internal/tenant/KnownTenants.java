package dev.pool.internal.tenant;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import dev.pool.TenantDirectory;

/**
 * The tenants listed in {@code app.datasource.tenants.known}.
 */
public final class KnownTenants implements TenantDirectory {

	private final Set<String> tenants;

	/**
	 * Creates the directory.
	 * @param tenants the tenant ids
	 */
	public KnownTenants(Collection<String> tenants) {
		this.tenants = Set.copyOf(new LinkedHashSet<>(tenants));
	}

	@Override
	public Collection<String> all() {
		return this.tenants;
	}

	@Override
	public boolean exists(String tenantId) {
		return this.tenants.contains(tenantId);
	}

}
