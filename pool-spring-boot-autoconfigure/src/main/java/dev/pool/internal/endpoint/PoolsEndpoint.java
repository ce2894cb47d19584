package dev.pool.internal.endpoint;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariConfigMXBean;
import dev.pool.internal.datasource.DataSourcePools;
import dev.pool.internal.datasource.JdbcUrls;
import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.datasource.PoolRole;
import dev.pool.internal.datasource.PoolSettings;
import dev.pool.internal.datasource.PoolSnapshot;
import dev.pool.internal.datasource.PoolTrackers;
import dev.pool.internal.probe.NodeProbes;
import dev.pool.internal.routing.RoutingCounts;
import dev.pool.internal.routing.RoutingReason;
import dev.pool.internal.tenant.TenantRegistry;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.internal.topology.PoolShare;
import dev.pool.internal.topology.ReplicaNode;
import dev.pool.internal.topology.Topology;
import dev.pool.internal.topology.Views;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.annotation.RegisterReflectionForBinding;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * {@code /actuator/pools}: every pool's settings, live counts, routing counts and a
 * diagnosis, and where the topology comes from, rendered from the current topology
 * snapshot; {@code POST /actuator/pools/{name}} resizes a pool at runtime (sensitive:
 * expose and secure it deliberately). Over HTTP, {@link PoolsEndpointWebExtension} adds
 * the status codes.
 */
@Endpoint(id = "pools")
@RegisterReflectionForBinding(PoolDiagnosis.Finding.class)
public final class PoolsEndpoint {

	private static final Log logger = LogFactory.getLog(PoolsEndpoint.class);

	private final LiveTopology topology;

	private final DataSourcePools pools;

	private final RoutingCounts routing;

	private final PoolTrackers trackers;

	private final PoolDiagnosis diagnosis;

	private final String applicationName;

	private final @Nullable TenantRegistry tenants;

	private final NodeProbes probes;

	// The borrow-and-return that makes HikariCP serve threads already waiting after a
	// pool grows: on threads of their own, at most a few at once.
	private static final long NUDGE_TERMINATION_MILLIS = 1_000;

	private final SimpleAsyncTaskExecutor nudges = new SimpleAsyncTaskExecutor("pool-resize-");

	/**
	 * Creates the endpoint.
	 * @param topology the primary and replicas to show and resize
	 * @param pools the pools, whose extra datasources to show and resize
	 * @param routing the routing counters
	 * @param trackers where acquisition timeouts are counted
	 * @param applicationName the prefix of this application's connections'
	 * application_name
	 * @param tenants the tenants, or {@code null} without tenancy
	 * @param probes where the servers' limits are read
	 */
	public PoolsEndpoint(LiveTopology topology, DataSourcePools pools, RoutingCounts routing, PoolTrackers trackers,
			String applicationName, @Nullable TenantRegistry tenants, NodeProbes probes) {
		this.probes = probes;
		this.topology = topology;
		this.tenants = tenants;
		this.pools = pools;
		this.routing = routing;
		this.trackers = trackers;
		this.diagnosis = new PoolDiagnosis(trackers, applicationName, probes);
		this.applicationName = applicationName;
		this.nudges.setDaemon(true);
		// No concurrency limit: a resize starts at most one nudge per new connection, and
		// a limit would make the caller wait behind nudges that wait for a connection.
		// Tracked, so the context's close interrupts nudges still waiting.
		this.nudges.setTaskTerminationTimeout(NUDGE_TERMINATION_MILLIS);
	}

	/** Interrupts resize nudges still waiting for a connection (context close). */
	public void close() {
		this.nudges.close();
	}

	// The routed pools of one snapshot, then the extra datasources.
	private List<ManagedPool> all(Topology topology) {
		List<ManagedPool> all = new ArrayList<>(topology.pools());
		all.addAll(this.pools.extras());
		return all;
	}

	/**
	 * Every pool, plus the diagnosis across them.
	 * @return the pools and the diagnosis
	 */
	@ReadOperation
	public Map<String, Object> pools() {
		Topology topology = this.topology.current();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("topology", Views.topology(topology));
		Map<String, Object> all = new LinkedHashMap<>();
		List<ManagedPool> pools = all(topology);
		for (ManagedPool pool : pools) {
			all.put(pool.name(), describe(pool, topology));
		}
		body.put("pools", all);
		if (this.tenants != null) {
			body.put("tenants", tenants(this.tenants, topology));
		}
		body.put("diagnosis", this.diagnosis.diagnose(pools, pools, topology));
		return body;
	}

	// The summary, then each open tenant pool like the others (without routing: tenant
	// pools are never routed).
	private Map<String, Object> tenants(TenantRegistry tenants, Topology topology) {
		Map<String, Object> body = new LinkedHashMap<>(tenants.summary().describe());
		Map<String, Object> pools = new LinkedHashMap<>();
		for (ManagedPool pool : tenants.pools()) {
			pools.put(pool.name(), describe(pool, topology));
		}
		body.put("pools", pools);
		return body;
	}

	private @Nullable ManagedPool find(String name, Topology topology) {
		for (ManagedPool pool : all(topology)) {
			if (pool.name().equals(name)) {
				return pool;
			}
		}
		if (this.tenants != null) {
			for (ManagedPool tenant : this.tenants.pools()) {
				if (tenant.name().equals(name)) {
					return tenant;
				}
			}
		}
		return null;
	}

	/**
	 * One pool and its diagnosis.
	 * @param name the pool
	 * @return the pool, or {@code null} (404 over HTTP) when there is none of that name
	 */
	@ReadOperation
	public @Nullable Map<String, Object> pool(@Selector String name) {
		Topology topology = this.topology.current();
		ManagedPool pool = find(name, topology);
		if (pool == null) {
			return null;
		}
		Map<String, Object> body = describe(pool, topology);
		body.put("diagnosis", this.diagnosis.diagnose(List.of(pool), all(topology), topology));
		return body;
	}

	/**
	 * Changes a pool's maximum size and/or minimum idle at runtime.
	 * @param name the pool
	 * @param maximumPoolSize the new maximum, a whole number of at least 1
	 * @param minimumIdle the new minimum idle, 0 up to the maximum
	 * @return the resized pool
	 * @throws InvalidEndpointRequestException naming the field and the rule it breaks
	 */
	@WriteOperation
	public Map<String, Object> resize(@Selector String name, @Nullable String maximumPoolSize,
			@Nullable String minimumIdle) {
		Resize resize = resize0(name, maximumPoolSize, minimumIdle);
		if (resize.problem() != null) {
			throw new InvalidEndpointRequestException(resize.problem(), resize.problem());
		}
		return resize.pool();
	}

	/**
	 * Validates and applies a resize.
	 * @param name the pool
	 * @param maximumPoolSize the new maximum as given, or {@code null}
	 * @param minimumIdle the new minimum idle as given, or {@code null}
	 * @return the resized pool, or what was wrong with the request
	 */
	Resize resize0(String name, @Nullable String maximumPoolSize, @Nullable String minimumIdle) {
		Topology topology = this.topology.current();
		ManagedPool pool = resizable(name, topology);
		if (pool == null) {
			return Resize.notFound(unknown(name));
		}
		HikariConfigMXBean config = pool.dataSource().getHikariConfigMXBean();
		int oldMax = config.getMaximumPoolSize();
		int oldMin = config.getMinimumIdle();
		Sizes sizes = Sizes.requested(maximumPoolSize, minimumIdle, oldMax, oldMin);
		if (sizes.problem() != null) {
			return Resize.invalid(sizes.problem());
		}
		if (sizes.max() > oldMax) {
			String ceiling = ceilingProblem(pool, sizes.max(), all(topology));
			if (ceiling != null) {
				return Resize.invalid(ceiling);
			}
		}
		pool.resize(sizes.max(), sizes.min(), this.nudges);
		logger.info("Pool '" + name + "' resized at runtime: maximumPoolSize " + oldMax + " -> " + sizes.max()
				+ ", minimumIdle " + oldMin + " -> " + sizes.min());
		return Resize.done(describe(pool, this.topology.current()));
	}

	// The routed pools and the extra datasources; tenant pools are sized by their
	// settings alone.
	private @Nullable ManagedPool resizable(String name, Topology topology) {
		for (ManagedPool candidate : all(topology)) {
			if (candidate.name().equals(name)) {
				return candidate;
			}
		}
		return null;
	}

	String unknown(String name) {
		return "No pool named '" + name + "'; pools: "
				+ all(this.topology.current()).stream().map(ManagedPool::name).toList();
	}

	// Growing is bounded by what the server can give, so one call cannot let a pool take
	// the connections every other client (and this application's other pools) need.
	private @Nullable String ceilingProblem(ManagedPool pool, int max, List<ManagedPool> all) {
		PoolSettings settings = pool.settings();
		String server = ServerConnections.server(settings.url());
		if (!settings.isPostgres()) {
			return fallbackCeiling(pool, max, "the connection limit of a non-PostgreSQL server is not known");
		}
		ServerConnections.Limits limits;
		try {
			limits = ServerConnections.read(this.probes.probe(pool.settings()), this.applicationName);
		}
		catch (SQLException | RuntimeException ex) {
			return fallbackCeiling(pool, max,
					"the server's connection limit could not be read (" + ex.getClass().getSimpleName() + ")");
		}
		int own = pool.snapshot().total();
		int others = Math.max(0, limits.sessions() - own);
		int headroom = 0;
		for (ManagedPool other : ServerConnections.byServer(all).getOrDefault(server, List.of())) {
			if (other != pool) {
				PoolSnapshot snapshot = other.snapshot();
				headroom += Math.max(0, snapshot.max() - snapshot.total());
			}
		}
		int ceiling = limits.maxConnections() - limits.reserved() - others - headroom;
		if (max <= ceiling) {
			return null;
		}
		return "maximumPoolSize (" + max + ") is more than the server at " + server + " can give pool '" + pool.name()
				+ "': max_connections " + limits.maxConnections() + ", " + limits.reserved()
				+ " reserved for superusers, " + others + " held by other sessions, " + headroom
				+ " kept for this application's other pools there; at most " + Math.max(0, ceiling);
	}

	private static @Nullable String fallbackCeiling(ManagedPool pool, int max, String why) {
		int configured = pool.settings().maximumPoolSize();
		if (max <= configured) {
			return null;
		}
		return "maximumPoolSize (" + max + ") is above the configured maximum-pool-size (" + configured + ") and " + why
				+ "; at most " + configured;
	}

	private Map<String, Object> describe(ManagedPool pool, Topology topology) {
		PoolSettings settings = pool.settings();
		HikariConfigMXBean config = pool.dataSource().getHikariConfigMXBean();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("name", pool.name());
		body.putAll(Views.pool(pool));
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
		body.put("timeouts", this.trackers.timeouts(pool.name()));
		body.put("credentials", Views.credentials(pool.credentials()));
		if (pool.role() == PoolRole.PRIMARY || pool.role() == PoolRole.REPLICA) {
			Map<String, Object> routed = new LinkedHashMap<>();
			for (RoutingReason reason : RoutingReason.values()) {
				routed.put(reason.tag(), this.routing.counter(pool, reason).sum());
			}
			body.put("routing", routed);
		}
		if (topology.primary().pool() == pool) {
			body.putAll(Views.member(topology.primary()));
			body.put("circuitBreaker", Views.breaker(topology.primary().breaker()));
		}
		ReplicaNode replica = topology.replica(pool);
		if (replica != null) {
			body.put("replica", Views.replica(replica));
		}
		PoolShare share = topology.share(pool);
		if (share != null) {
			body.put("sizing", Views.share(share));
		}
		return body;
	}

	/**
	 * The outcome of a resize request: the resized pool, or a status and why.
	 * @param status 200, 400 or 404
	 * @param problem what was wrong, naming the field and the rule; {@code null} on
	 * success
	 * @param pool the resized pool on success, empty otherwise
	 */
	/**
	 * The sizes a resize asks for, the current ones where it gives none, or what is wrong
	 * with the request.
	 */
	record Sizes(int max, int min, @Nullable String problem) {

		static Sizes requested(@Nullable String maximumPoolSize, @Nullable String minimumIdle, int oldMax, int oldMin) {
			if (maximumPoolSize == null && minimumIdle == null) {
				return invalid("Give maximumPoolSize and/or minimumIdle, as whole numbers");
			}
			Integer requestedMax = wholeNumber(maximumPoolSize);
			if (maximumPoolSize != null && requestedMax == null) {
				return invalid("maximumPoolSize must be a whole number, got '" + maximumPoolSize + "'");
			}
			Integer requestedMin = wholeNumber(minimumIdle);
			if (minimumIdle != null && requestedMin == null) {
				return invalid("minimumIdle must be a whole number, got '" + minimumIdle + "'");
			}
			int max = (requestedMax != null) ? requestedMax : oldMax;
			// A lower maximum alone lowers the minimum with it.
			int min = (requestedMin != null) ? requestedMin : Math.min(oldMin, max);
			if (max < 1) {
				return invalid("maximumPoolSize must be at least 1, got " + max);
			}
			if (min < 0) {
				return invalid("minimumIdle must not be negative, got " + min);
			}
			if (min > max) {
				return invalid("minimumIdle (" + min + ") must not exceed maximumPoolSize (" + max + ")");
			}
			return new Sizes(max, min, null);
		}

		private static Sizes invalid(String problem) {
			return new Sizes(0, 0, problem);
		}

		private static @Nullable Integer wholeNumber(@Nullable String value) {
			if (value == null) {
				return null;
			}
			try {
				return Integer.valueOf(value.trim());
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}

	}

	record Resize(int status, @Nullable String problem, Map<String, Object> pool) {

		static Resize done(Map<String, Object> pool) {
			return new Resize(200, null, pool);
		}

		static Resize invalid(String problem) {
			return new Resize(400, problem, Map.of());
		}

		static Resize notFound(String problem) {
			return new Resize(404, problem, Map.of());
		}

	}

}
