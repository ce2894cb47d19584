package dev.pool.health;

import java.util.LinkedHashMap;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.datasource.DataSourcePools;
import dev.pool.datasource.NodeProbe;
import dev.pool.datasource.PoolSnapshot;
import dev.pool.routing.ReplicaState;
import dev.pool.routing.RoutingDataSource;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code db} health component: its status follows the primary alone (validated on a
 * connection of its own, so a saturated pool is not reported as a dead database); replicas and
 * saturation appear in the details but never turn the application DOWN.
 */
public final class PoolHealthIndicator extends AbstractHealthIndicator {

	private final DataSourcePools pools;

	private final RoutingDataSource router;

	private final NodeProbe primaryProbe;

	public PoolHealthIndicator(DataSourcePools pools, RoutingDataSource router) {
		super("Database health check failed");
		this.pools = pools;
		this.router = router;
		this.primaryProbe = new NodeProbe(pools.settings().get(DataSourcePools.PRIMARY));
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		NodeProbe.Result primary = this.primaryProbe.check(false);
		Map<String, Object> details = pool(DataSourcePools.PRIMARY, "primary", this.pools.primary());
		details.put("status", primary.reachable() ? "UP" : "DOWN");
		details.put("validationMs", round(primary.latencyMillis()));
		if (!primary.reachable()) {
			details.put("error", primary.error());
		}
		builder.status(primary.reachable() ? "UP" : "DOWN").withDetail(DataSourcePools.PRIMARY, details);
		for (ReplicaState replica : this.router.replicaStates()) {
			Map<String, Object> replicaDetails = pool(replica.name(), "replica",
					this.pools.pool(replica.name()));
			replicaDetails.put("status", replica.status());
			replicaDetails.put("validationMs", round(replica.latencyMillis()));
			replicaDetails.put("lagSeconds", round(replica.lagSeconds()));
			if (replica.error() != null) {
				replicaDetails.put("error", replica.error());
			}
			builder.withDetail(replica.name(), replicaDetails);
		}
	}

	private static Map<String, Object> pool(String name, String role, HikariDataSource pool) {
		PoolSnapshot snapshot = PoolSnapshot.of(pool);
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("role", role);
		details.put("active", snapshot.active());
		details.put("idle", snapshot.idle());
		details.put("waiting", snapshot.waiting());
		details.put("max", snapshot.max());
		details.put("utilization", round(snapshot.utilization()));
		details.put("saturation", snapshot.saturation().name());
		return details;
	}

	private static Object round(double value) {
		return Double.isNaN(value) ? null : Math.round(value * 100) / 100.0;
	}

}
