package dev.pool.internal.tenant;

import dev.pool.DrainingException;

/**
 * What both tenant registries share: once the shutdown drain starts (or the registry
 * closes) no tenant gets a new connection, and the refusal says so in one way.
 */
abstract class TenantRegistrySupport implements TenantRegistry {

	private volatile boolean refusing;

	@Override
	public final void refuseNewConnections() {
		this.refusing = true;
	}

	/**
	 * Throws when new connections are refused.
	 * @param what what the tenant asked for, for the message ("connections", "pool")
	 * @param tenantId the tenant
	 * @throws DrainingException when refused
	 */
	final void refuseIfDraining(String what, String tenantId) throws DrainingException {
		if (this.refusing) {
			throw new DrainingException(
					"Tenant connections are draining for shutdown; no new " + what + " for tenant '" + tenantId + "'");
		}
	}

}
