package dev.pool.endpoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import dev.pool.datasource.DataSourcePools;
import dev.pool.datasource.JdbcUrls;
import dev.pool.datasource.PoolSettings;
import dev.pool.datasource.PoolSnapshot;
import dev.pool.routing.ReplicaState;
import dev.pool.routing.RoutingCounts;
import dev.pool.routing.RoutingDataSource;
import dev.pool.routing.RoutingReason;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.lang.Nullable;

/**
 * {@code /actuator/pools}: every pool's settings, live counts, routing counts and a diagnosis;
 * {@code POST /actuator/pools/{name}} resizes a pool at runtime (sensitive: expose and secure it
 * deliberately).
 */
@Endpoint(id = "pools")
public final class PoolsEndpoint {

	private static final Log logger = LogFactory.getLog(PoolsEndpoint.class);

	private final DataSourcePools pools;

	private final RoutingDataSource router;

	private final RoutingCounts routing;

	private final PoolDiagnosis diagnosis;

	public PoolsEndpoint(DataSourcePools pools, RoutingDataSource router, RoutingCounts routing,
			PoolDiagnosis diagnosis) {
		this.pools = pools;
		this.router = router;
		this.routing = routing;
		this.diagnosis = diagnosis;
	}

	/** Every pool, plus the diagnosis across them. */
	@ReadOperation
	public Map<String, Object> pools() {
		Map<String, Object> body = new LinkedHashMap<>();
		Map<String, Object> all = new LinkedHashMap<>();
		for (String name : this.pools.pools().keySet()) {
			all.put(name, describe(name));
		}
		body.put("pools", all);
		body.put("diagnosis", this.diagnosis.diagnose(this.pools.pools().keySet()));
		return body;
	}

	/** One pool and its diagnosis. */
	@ReadOperation
	public Map<String, Object> pool(@Selector String name) {
		requirePool(name);
		Map<String, Object> body = describe(name);
		body.put("diagnosis", this.diagnosis.diagnose(List.of(name)));
		return body;
	}

	/**
	 * Changes a pool's maximum size and/or minimum idle at runtime; the minimum may not exceed
	 * the maximum.
	 */
	@WriteOperation
	public Map<String, Object> resize(@Selector String name, @Nullable Integer maximumPoolSize,
			@Nullable Integer minimumIdle) {
		requirePool(name);
		if (maximumPoolSize == null && minimumIdle == null) {
			throw new InvalidEndpointRequestException("Give maximumPoolSize and/or minimumIdle",
					"Give maximumPoolSize and/or minimumIdle");
		}
		HikariConfigMXBean config = this.pools.pool(name).getHikariConfigMXBean();
		int max = (maximumPoolSize != null) ? maximumPoolSize : config.getMaximumPoolSize();
		int min = (minimumIdle != null) ? minimumIdle : Math.min(config.getMinimumIdle(), max);
		if (max < 1) {
			throw invalid("maximumPoolSize must be at least 1");
		}
		if (min < 0) {
			throw invalid("minimumIdle must not be negative");
		}
		if (min > max) {
			throw invalid("minimumIdle (" + min + ") must not exceed maximumPoolSize (" + max + ")");
		}
		int oldMax = config.getMaximumPoolSize();
		int oldMin = config.getMinimumIdle();
		// Grow the maximum before the minimum and shrink the minimum before the maximum, so the
		// pool never sees min > max in between.
		if (max >= oldMax) {
			config.setMaximumPoolSize(max);
			config.setMinimumIdle(min);
		}
		else {
			config.setMinimumIdle(min);
			config.setMaximumPoolSize(max);
		}
		nudgeWaiters(name, max - oldMax);
		logger.info("Pool '" + name + "' resized at runtime: maximumPoolSize " + oldMax + " -> " + max
				+ ", minimumIdle " + oldMin + " -> " + min);
		return describe(name);
	}

	// HikariCP only opens connections for waiting threads when a borrow asks for them; after the
	// maximum grows, a borrow-and-return per new slot makes it open them now instead of at the next
	// housekeeping run, so threads already waiting get the new connections.
	private void nudgeWaiters(String name, int added) {
		HikariDataSource pool = this.pools.pool(name);
		int waiting = PoolSnapshot.of(pool).waiting();
		for (int i = 0; i < Math.min(added, waiting); i++) {
			Thread nudge = new Thread(() -> {
				try (java.sql.Connection connection = pool.getConnection()) {
					// Returned at once: the pool keeps the new connection for its waiters.
				}
				catch (java.sql.SQLException ex) {
					logger.debug("Resize nudge for pool '" + name + "' got no connection: " + ex.getMessage());
				}
			}, "pool-resize-" + name);
			nudge.setDaemon(true);
			nudge.start();
		}
	}

	private Map<String, Object> describe(String name) {
		HikariDataSource pool = this.pools.pool(name);
		PoolSettings settings = this.pools.settings().get(name);
		HikariConfigMXBean config = pool.getHikariConfigMXBean();
		PoolSnapshot snapshot = PoolSnapshot.of(pool);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("name", name);
		body.put("role", settings.role().name().toLowerCase());
		body.put("url", JdbcUrls.withoutCredentials(settings.url()));
		Map<String, Object> configured = new LinkedHashMap<>();
		configured.put("maximumPoolSize", config.getMaximumPoolSize());
		configured.put("minimumIdle", config.getMinimumIdle());
		configured.put("connectionTimeoutMs", config.getConnectionTimeout());
		configured.put("idleTimeoutMs", config.getIdleTimeout());
		configured.put("maxLifetimeMs", config.getMaxLifetime());
		configured.put("keepaliveTimeMs", settings.keepaliveTime().toMillis());
		configured.put("validationTimeoutMs", config.getValidationTimeout());
		configured.put("leakDetectionThresholdMs", config.getLeakDetectionThreshold());
		body.put("settings", configured);
		Map<String, Object> stats = new LinkedHashMap<>();
		stats.put("total", snapshot.total());
		stats.put("active", snapshot.active());
		stats.put("idle", snapshot.idle());
		stats.put("waiting", snapshot.waiting());
		body.put("stats", stats);
		body.put("utilization", Math.round(snapshot.utilization() * 1000) / 1000.0);
		body.put("saturation", snapshot.saturation().name());
		body.put("timeouts", this.pools.trackers().timeouts(name));
		Map<String, Object> routed = new LinkedHashMap<>();
		for (RoutingReason reason : RoutingReason.values()) {
			routed.put(reason.tag(), this.routing.counter(name, reason).sum());
		}
		body.put("routing", routed);
		for (ReplicaState replica : this.router.replicaStates()) {
			if (replica.name().equals(name)) {
				Map<String, Object> state = new LinkedHashMap<>();
				state.put("status", replica.status());
				state.put("available", replica.isAvailable());
				state.put("lagSeconds", Double.isNaN(replica.lagSeconds()) ? null : replica.lagSeconds());
				state.put("error", replica.error());
				body.put("replica", state);
			}
		}
		return body;
	}

	private void requirePool(String name) {
		if (!this.pools.pools().containsKey(name)) {
			throw new InvalidEndpointRequestException("No pool named '" + name + "'",
					"No pool named '" + name + "'; pools: " + new ArrayList<>(this.pools.pools().keySet()));
		}
	}

	private static InvalidEndpointRequestException invalid(String reason) {
		return new InvalidEndpointRequestException(reason, reason);
	}

}
