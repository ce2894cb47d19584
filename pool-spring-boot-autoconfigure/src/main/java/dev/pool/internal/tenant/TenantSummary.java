package dev.pool.internal.tenant;

import org.jspecify.annotations.Nullable;

/**
 * Tenancy counts at one moment.
 *
 * @param mode {@code database} or {@code schema}
 * @param live tenant pools open
 * @param maxLivePools the bound on open tenant pools, {@code null} in mode schema
 * @param created tenant pools opened since startup
 * @param evictedCapacity tenant pools closed to make room for another
 * @param evictedIdle tenant pools closed after pool-idle-timeout unused
 * @param connectionsInUse tenant connections borrowed right now
 * @param maxTotalConnections the cap on tenant connections, {@code null} when none
 * @param failedMigrations tenants whose last migration failed
 */
public record TenantSummary(String mode, int live, @Nullable Integer maxLivePools, long created, long evictedCapacity,
		long evictedIdle, int connectionsInUse, @Nullable Integer maxTotalConnections, int failedMigrations) {

}
