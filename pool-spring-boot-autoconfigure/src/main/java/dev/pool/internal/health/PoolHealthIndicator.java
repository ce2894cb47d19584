package dev.pool.internal.health;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.pool.internal.breaker.PrimaryGuard;
import dev.pool.internal.datasource.DataSourcePools;
import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.datasource.PoolRole;
import dev.pool.internal.datasource.PoolSnapshot;
import dev.pool.internal.probe.NodeProbe;
import dev.pool.internal.replica.ReplicaSet;
import dev.pool.internal.replica.ReplicaState;
import dev.pool.internal.tenant.TenantRegistry;
import dev.pool.internal.tenant.TenantSummary;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code db} health component: its status follows the primary alone (validated on a
 * connection of its own, so a saturated pool is not reported as a dead database);
 * replicas and saturation appear in the details but never turn the application DOWN.
 */
public final class PoolHealthIndicator extends AbstractHealthIndicator implements AutoCloseable {

	private final DataSourcePools pools;

	private final ReplicaSet replicas;

	private final PrimaryGuard guard;

	private final NodeProbe primaryProbe;

	private final Map<ManagedPool, NodeProbe> extraProbes = new LinkedHashMap<>();

	private final @Nullable TenantRegistry tenants;

	/**
	 * Creates the indicator.
	 * @param pools the pools whose counts to show
	 * @param replicas the replicas whose states to show
	 * @param guard the primary's circuit breaker, whose state to show
	 * @param tenants the tenants, whose summary to show, or {@code null} without tenancy
	 */
	public PoolHealthIndicator(DataSourcePools pools, ReplicaSet replicas, PrimaryGuard guard,
			@Nullable TenantRegistry tenants) {
		super("Database health check failed");
		this.pools = pools;
		this.replicas = replicas;
		this.guard = guard;
		this.tenants = tenants;
		this.primaryProbe = new NodeProbe(pools.primary().settings());
		for (ManagedPool pool : pools.all()) {
			if (pool.role() == PoolRole.EXTRA) {
				this.extraProbes.put(pool, new NodeProbe(pool.settings()));
			}
		}
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		NodeProbe.Result primary = this.primaryProbe.check(false);
		Map<String, @Nullable Object> details = pool("primary", this.pools.primary());
		details.put("status", primary.reachable() ? "UP" : "DOWN");
		details.put("validationMs", round(primary.latencyMillis()));
		if (!primary.reachable()) {
			details.put("error", primary.error());
		}
		details.put("circuitBreaker", this.guard.state());
		builder.status(primary.reachable() ? "UP" : "DOWN").withDetail(DataSourcePools.PRIMARY, details);
		for (ReplicaState replica : this.replicas.states()) {
			Map<String, @Nullable Object> replicaDetails = pool("replica", replica.pool());
			replicaDetails.put("status", replica.status());
			replicaDetails.put("validationMs", round(replica.latencyMillis()));
			replicaDetails.put("lagSeconds", round(replica.lagSeconds()));
			replicaDetails.put("streaming", replica.isStreaming());
			if (replica.error() != null) {
				replicaDetails.put("error", replica.error());
			}
			builder.withDetail(replica.name(), replicaDetails);
		}
		// Extra datasources and tenants are shown, but only the primary decides the
		// status: one tenant or a reporting database never takes the application DOWN.
		this.extraProbes.forEach((pool, probe) -> {
			NodeProbe.Result result = probe.check(false);
			Map<String, @Nullable Object> extraDetails = pool("extra", pool);
			extraDetails.put("status", result.reachable() ? "UP" : "DOWN");
			extraDetails.put("validationMs", round(result.latencyMillis()));
			if (!result.reachable()) {
				extraDetails.put("error", result.error());
			}
			builder.withDetail(pool.name(), extraDetails);
		});
		if (this.tenants != null) {
			builder.withDetail("tenants", tenantDetails(this.tenants.summary()));
		}
	}

	static Map<String, @Nullable Object> tenantDetails(TenantSummary summary) {
		Map<String, @Nullable Object> details = new LinkedHashMap<>();
		details.put("mode", summary.mode());
		if (summary.maxLivePools() != null) {
			details.put("live", summary.live());
			details.put("maxLivePools", summary.maxLivePools());
			details.put("created", summary.created());
			details.put("evicted", summary.evictedCapacity() + summary.evictedIdle());
		}
		details.put("connectionsInUse", summary.connectionsInUse());
		if (summary.maxTotalConnections() != null) {
			details.put("maxTotalConnections", summary.maxTotalConnections());
		}
		details.put("failedMigrations", summary.failedMigrations());
		return details;
	}

	/** Gives up a check still stuck in the driver. */
	@Override
	public void close() {
		this.primaryProbe.close();
		this.extraProbes.values().forEach(NodeProbe::close);
	}

	private static Map<String, @Nullable Object> pool(String role, ManagedPool pool) {
		PoolSnapshot snapshot = pool.snapshot();
		Map<String, @Nullable Object> details = new LinkedHashMap<>();
		details.put("role", role);
		details.put("active", snapshot.active());
		details.put("idle", snapshot.idle());
		details.put("waiting", snapshot.waiting());
		details.put("max", snapshot.max());
		details.put("utilization", round(snapshot.utilization()));
		details.put("saturation", snapshot.saturation().name());
		return details;
	}

	private static @Nullable Object round(double value) {
		return Double.isNaN(value) ? null : Math.round(value * 100) / 100.0;
	}

}
