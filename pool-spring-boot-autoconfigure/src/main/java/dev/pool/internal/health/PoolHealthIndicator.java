package dev.pool.internal.health;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.pool.internal.breaker.PrimaryGuard;
import dev.pool.internal.datasource.DataSourcePools;
import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.datasource.PoolSnapshot;
import dev.pool.internal.probe.NodeProbe;
import dev.pool.internal.replica.ReplicaSet;
import dev.pool.internal.replica.ReplicaState;
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

	/**
	 * Creates the indicator.
	 * @param pools the pools whose counts to show
	 * @param replicas the replicas whose states to show
	 * @param guard the primary's circuit breaker, whose state to show
	 */
	public PoolHealthIndicator(DataSourcePools pools, ReplicaSet replicas, PrimaryGuard guard) {
		super("Database health check failed");
		this.pools = pools;
		this.replicas = replicas;
		this.guard = guard;
		this.primaryProbe = new NodeProbe(pools.primary().settings());
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
	}

	/** Gives up a check still stuck in the driver. */
	@Override
	public void close() {
		this.primaryProbe.close();
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
