package dev.pool.internal.tenant;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import dev.pool.internal.datasource.ManagedPool;

/**
 * Where a tenant's connections come from: a pool per tenant database, or the primary's
 * pool set to the tenant's schema.
 */
public interface TenantRegistry {

	/**
	 * A connection of a checked tenant.
	 * @param tenantId the tenant
	 * @return the connection
	 * @throws SQLException when none can be had; a
	 * {@link dev.pool.TenantUnavailableException} when the tenant's migration failed
	 */
	Connection connection(String tenantId) throws SQLException;

	/**
	 * The tenant pools open now.
	 * @return the pools, empty in mode schema
	 */
	List<ManagedPool> pools();

	/**
	 * Counts for health, the pools endpoint and meters.
	 * @return a summary
	 */
	TenantSummary summary();

	/** From now on every tenant connection is refused (shutdown drain). */
	void refuseNewConnections();

	/** Closes every tenant pool. */
	void close();

}
