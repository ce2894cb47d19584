package dev.pool.internal.tenant;

import java.util.LinkedHashMap;
import java.util.Map;

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

	/**
	 * The summary as health and {@code /actuator/pools} both show it.
	 * @return mode; in mode database live, maxLivePools, created and evicted (capacity,
	 * idle); connections (inUse, max); failedMigrations
	 */
	public Map<String, @Nullable Object> describe() {
		Map<String, @Nullable Object> view = new LinkedHashMap<>();
		view.put("mode", this.mode);
		if (this.maxLivePools != null) {
			view.put("live", this.live);
			view.put("maxLivePools", this.maxLivePools);
			view.put("created", this.created);
			Map<String, Object> evicted = new LinkedHashMap<>();
			evicted.put("capacity", this.evictedCapacity);
			evicted.put("idle", this.evictedIdle);
			view.put("evicted", evicted);
		}
		Map<String, Object> connections = new LinkedHashMap<>();
		connections.put("inUse", this.connectionsInUse);
		if (this.maxTotalConnections != null) {
			connections.put("max", this.maxTotalConnections);
		}
		view.put("connections", connections);
		view.put("failedMigrations", this.failedMigrations);
		return view;
	}

}
