package dev.pool.autoconfigure;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

import dev.pool.PoolCredentials;
import dev.pool.TopologySource;
import dev.pool.autoconfigure.PoolProperties.Pool;
import dev.pool.internal.credentials.CredentialRefresher;
import dev.pool.internal.credentials.CredentialSource;
import dev.pool.internal.credentials.Secret;
import dev.pool.internal.datasource.DataSourcePools;
import dev.pool.internal.datasource.JdbcUrls;
import dev.pool.internal.datasource.PoolRole;
import dev.pool.internal.datasource.PoolSettings;
import dev.pool.internal.tenant.TenantIds;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/**
 * Resolves every pool's effective settings (replica, then primary, then HikariCP default)
 * and rejects values HikariCP would silently change or that cannot work.
 */
final class PoolSettingsFactory {

	private static final Log logger = LogFactory.getLog(PoolSettingsFactory.class);

	private static final String PRIMARY = DataSourcePools.PRIMARY;

	// HikariCP's defaults, repeated so validation sees the values the pool will really
	// use.
	private static final int DEFAULT_MAXIMUM_POOL_SIZE = 10;

	private static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);

	private static final Duration DEFAULT_MAX_LIFETIME = Duration.ofMinutes(30);

	private static final Duration DEFAULT_KEEPALIVE_TIME = Duration.ofMinutes(2);

	private static final Duration DEFAULT_VALIDATION_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration PRIMARY_INITIALIZATION_FAIL_TIMEOUT = Duration.ofMillis(1);

	private static final Duration REPLICA_INITIALIZATION_FAIL_TIMEOUT = Duration.ofMillis(-1);

	private static final Duration TIMEOUT_FLOOR = Duration.ofMillis(250);

	private static final int TENANT_DEFAULT_MAXIMUM_POOL_SIZE = 3;

	private static final String TENANTS = "app.datasource.tenants";

	private static final String TENANT_PLACEHOLDER = "{tenant}";

	private static final String TOPOLOGY = "app.datasource.topology";

	private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9_-]{1,16}");

	private static final String HOST_PLACEHOLDER = "{host}";

	private static final String PORT_PLACEHOLDER = "{port}";

	private static final Pattern DNS_RESOLVER = Pattern
		.compile("[A-Za-z0-9.-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?|[0-9A-Fa-f:]+");

	private static final Pattern COOKIE_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");

	/** What every tenant pool's name starts with. */
	static final String TENANT_POOL_PREFIX = "tenant-";

	private static final Set<String> ISOLATION_LEVELS = Set.of("TRANSACTION_NONE", "TRANSACTION_READ_UNCOMMITTED",
			"TRANSACTION_READ_COMMITTED", "TRANSACTION_REPEATABLE_READ", "TRANSACTION_SERIALIZABLE");

	private final PoolProperties properties;

	private final String applicationName;

	// This instance's id in a fleet, null without a fleet budget.
	private final @Nullable String fleetInstance;

	private final @Nullable PoolCredentials credentialsProvider;

	private final @Nullable CredentialRefresher credentialRefresher;

	/**
	 * @param properties the bound {@code app.datasource} properties
	 * @param applicationName the prefix of every connection's PostgreSQL application name
	 */
	PoolSettingsFactory(PoolProperties properties, String applicationName) {
		this(properties, applicationName, null);
	}

	/**
	 * @param properties the bound {@code app.datasource} properties
	 * @param applicationName the prefix of every connection's PostgreSQL application name
	 * @param fleetInstance this instance's id in the fleet, {@code null} without a fleet
	 * budget
	 */
	PoolSettingsFactory(PoolProperties properties, String applicationName, @Nullable String fleetInstance) {
		this(properties, applicationName, fleetInstance, null, null);
	}

	/**
	 * @param properties the bound {@code app.datasource} properties
	 * @param applicationName the prefix of every connection's PostgreSQL application name
	 * @param fleetInstance this instance's id in the fleet, {@code null} without a fleet
	 * budget
	 * @param credentialsProvider the application's {@link PoolCredentials} bean, or
	 * {@code null}
	 * @param credentialRefresher what re-reads logins that may change, or {@code null}
	 */
	PoolSettingsFactory(PoolProperties properties, String applicationName, @Nullable String fleetInstance,
			@Nullable PoolCredentials credentialsProvider, @Nullable CredentialRefresher credentialRefresher) {
		this.properties = properties;
		this.applicationName = applicationName;
		this.fleetInstance = fleetInstance;
		this.credentialsProvider = credentialsProvider;
		this.credentialRefresher = credentialRefresher;
	}

	/**
	 * This instance's id in the fleet.
	 * @return the id, {@code null} without a fleet budget
	 */
	@Nullable String fleetInstance() {
		return this.fleetInstance;
	}

	/**
	 * The prefix of every connection's PostgreSQL application name.
	 * @return {@code spring.application.name}, or {@code app}
	 */
	String applicationName() {
		return this.applicationName;
	}

	/**
	 * Whether a fleet budget is set.
	 * @param properties the properties
	 * @return true when {@code fleet.max-connections} is set
	 */
	static boolean fleetOn(PoolProperties properties) {
		return unlessBlank(properties.getFleet().getMaxConnections()) != null;
	}

	/**
	 * This instance's id in the fleet: the configured one, or one unique to this start.
	 * @param properties the properties
	 * @return the id, {@code null} without a fleet budget
	 */
	static @Nullable String fleetInstance(PoolProperties properties) {
		if (!fleetOn(properties)) {
			return null;
		}
		String configured = unlessBlank(properties.getFleet().getInstanceId());
		return (configured != null) ? configured : UUID.randomUUID().toString().substring(0, 8);
	}

	/**
	 * Rejects fleet and sizing settings that cannot work; called only when a fleet budget
	 * is set.
	 * @param primary the primary's resolved settings
	 * @param replicas the configured replicas' resolved settings
	 */
	void validateFleet(PoolSettings primary, List<PoolSettings> replicas) {
		List<PoolSettings> pools = new ArrayList<>();
		pools.add(primary);
		pools.addAll(replicas);
		PoolProperties.Fleet fleet = this.properties.getFleet();
		String prefix = "app.datasource.fleet";
		String budget = unlessBlank(fleet.getMaxConnections());
		if (budget == null) {
			return;
		}
		if (fleet.getReserve() < 1) {
			throw invalid(prefix, "reserve", fleet.getReserve(),
					"must be at least 1: a starting instance's first session and the probes come out of it",
					"Set it to 1 or more (default 2).");
		}
		if (!"role".equalsIgnoreCase(budget)) {
			int max;
			try {
				max = Integer.parseInt(budget.trim());
			}
			catch (NumberFormatException ex) {
				throw invalid(prefix, "max-connections", budget, "is neither a whole number nor 'role'",
						"Set it to this service's connections per database server, such as 200, or to role.");
			}
			if (max < fleet.getReserve() + 1) {
				throw invalid(prefix, "max-connections", max, "is below reserve + 1 (" + (fleet.getReserve() + 1) + ")",
						"Raise it above the reserve, or lower app.datasource.fleet.reserve.");
			}
			// Each node has the whole budget: each pool on it must fit with its fleet
			// session.
			for (PoolSettings pool : pools) {
				int own = Math.max(1, pool.minimumIdle()) + 1;
				if (max - fleet.getReserve() < own) {
					throw invalid(prefix, "max-connections", max,
							"leaves " + (max - fleet.getReserve()) + " connections after the reserve, fewer than this "
									+ "instance alone needs on the node of pool '" + pool.name() + "' (minimum-idle "
									+ pool.minimumIdle() + " and its fleet session)",
							"Raise it to at least " + (own + fleet.getReserve()) + " or lower " + pool.propertyPrefix()
									+ ".minimum-idle.");
				}
			}
		}
		if (fleet.getRefreshInterval() == null || fleet.getRefreshInterval().toMillis() < 250) {
			throw invalid(prefix, "refresh-interval", fleet.getRefreshInterval(), "must be at least 250ms",
					"Set it to a duration such as 5s.");
		}
		String instance = unlessBlank(fleet.getInstanceId());
		if (instance != null && !INSTANCE_ID.matcher(instance).matches()) {
			throw invalid(prefix, "instance-id", instance,
					"must be 1 to 16 letters, digits, '_' or '-' (it goes into application_name)",
					"Use an id such as the pod name's suffix, or leave it unset for one unique per start.");
		}
		if (!primary.isPostgres()) {
			throw invalid(prefix, "max-connections", budget,
					"needs PostgreSQL (advisory locks and pg_stat_activity) and the primary is not",
					"Remove app.datasource.fleet.max-connections for this database.");
		}
		// PostgreSQL keeps 63 bytes of application_name: the fleet's own sessions name
		// the
		// instance and what it asks for, and must not be cut.
		int longest = this.applicationName.length() + ":fleet:".length() + String.valueOf(this.fleetInstance).length()
				+ ":9999".length();
		if (longest > 63) {
			throw new InvalidPoolConfigurationException("spring.application.name", this.applicationName,
					"is too long for the fleet's application_name (" + longest + " of PostgreSQL's 63 bytes)",
					"Shorten spring.application.name, or set a shorter app.datasource.fleet.instance-id.");
		}
	}

	/**
	 * Rejects the routing, exhaustion, drain and circuit breaker settings that cannot
	 * work.
	 */
	void validateFeatures() {
		PoolProperties.Routing routing = this.properties.getRouting();
		if (routing.getHealthCheckInterval() == null || routing.getHealthCheckInterval().toMillis() < 100) {
			throw invalid("app.datasource.routing", "health-check-interval", routing.getHealthCheckInterval(),
					"must be at least 100ms", "Set it to a positive duration such as 5s.");
		}
		if (routing.getMaxReplicaLag() == null || routing.getMaxReplicaLag().isNegative()) {
			throw invalid("app.datasource.routing", "max-replica-lag", routing.getMaxReplicaLag(),
					"must not be negative", "Set it to a duration such as 10s, or 0 to disable lag-aware routing.");
		}
		Duration retryAfter = this.properties.getExhaustion().getRetryAfter();
		if (retryAfter == null || retryAfter.compareTo(Duration.ofSeconds(1)) < 0
				|| retryAfter.toNanos() % 1_000_000_000L != 0) {
			throw invalid("app.datasource.exhaustion", "retry-after", retryAfter,
					"must be a whole number of seconds, at least 1s (it becomes the Retry-After header)",
					"Set it to 1s or more in whole seconds.");
		}
		Duration drain = this.properties.getDrain().getTimeout();
		if (drain == null || drain.isNegative()) {
			throw invalid("app.datasource.drain", "timeout", drain, "must not be negative",
					"Set it to a duration such as 30s (0 closes the pools at once).");
		}
		PoolProperties.CircuitBreaker breaker = this.properties.getCircuitBreaker();
		if (breaker.getFailureThreshold() < 1) {
			throw invalid("app.datasource.circuit-breaker", "failure-threshold", breaker.getFailureThreshold(),
					"must be at least 1", "Set it to 1 or more (default 5).");
		}
		if (breaker.getOpenDuration() == null || breaker.getOpenDuration().toMillis() < 1) {
			throw invalid("app.datasource.circuit-breaker", "open-duration", breaker.getOpenDuration(),
					"must be positive", "Set it to a duration such as 30s.");
		}
	}

	/**
	 * Rejects topology settings that cannot work.
	 * @param sourceBean whether the application declares a TopologySource bean
	 */
	void validateTopology(boolean sourceBean) {
		PoolProperties.Topology topology = this.properties.getTopology();
		PoolProperties.TopologySourceType type = topology.getSource();
		String prefix = TOPOLOGY;
		if (type == PoolProperties.TopologySourceType.STATIC) {
			if (sourceBean) {
				throw new InvalidPoolConfigurationException(prefix + ".source", "static",
						"the application declares a dev.pool.TopologySource bean, which a static topology never reads",
						"Set app.datasource.topology.source to custom to follow the bean, or remove the bean.");
			}
			return;
		}
		if (topology.getRefreshInterval() == null || topology.getRefreshInterval().toMillis() < 100) {
			throw invalid(prefix, "refresh-interval", topology.getRefreshInterval(), "must be at least 100ms",
					"Set it to a duration such as 5s.");
		}
		if (topology.getRequestTimeout() == null || topology.getRequestTimeout().toMillis() < 100) {
			throw invalid(prefix, "request-timeout", topology.getRequestTimeout(), "must be at least 100ms",
					"Set it to a duration such as 1s.");
		}
		if (topology.getMaxReplicas() < 1) {
			throw invalid(prefix, "max-replicas", topology.getMaxReplicas(), "must be at least 1",
					"Set it to 1 or more (default 16).");
		}
		String template = unlessBlank(topology.getUrlTemplate());
		if (template == null || !template.contains(HOST_PLACEHOLDER) || !template.startsWith("jdbc:")) {
			throw invalid(prefix, "url-template", template,
					"must be a JDBC URL containing {host} (and usually {port}) when the topology source is "
							+ type.name().toLowerCase(Locale.ROOT),
					"Set it to a URL such as jdbc:postgresql://{host}:{port}/shop.");
		}
		for (Map.Entry<String, Pool> replica : this.properties.getReplicas().entrySet()) {
			if (replica.getValue() != null && unlessBlank(replica.getValue().getUrl()) != null) {
				throw new InvalidPoolConfigurationException("app.datasource.replicas." + replica.getKey() + ".url",
						JdbcUrls.withoutCredentials(replica.getValue().getUrl()),
						"is not used: with the topology source " + type.name().toLowerCase(Locale.ROOT)
								+ " each replica's URL comes from app.datasource.topology.url-template",
						"Remove the url; app.datasource.replicas." + replica.getKey()
								+ " may keep the pool settings of the discovered replica of that name.");
			}
		}
		if (!sourceBean && type != PoolProperties.TopologySourceType.CUSTOM) {
			String library = (type == PoolProperties.TopologySourceType.PATRONI)
					? "tools.jackson.core:jackson-databind (Patroni answers JSON)"
					: "dnsjava:dnsjava (DNS queries that no cache can hide)";
			throw new InvalidPoolConfigurationException(prefix + ".source", type.name().toLowerCase(Locale.ROOT),
					"needs " + library + ", which is not on the class path",
					"Add the dependency " + library.substring(0, library.indexOf(' ')) + ".");
		}
		switch (type) {
			case PATRONI -> {
				List<java.net.URI> urls = topology.getPatroni().getUrls();
				if (urls.isEmpty()) {
					throw new InvalidPoolConfigurationException(prefix + ".patroni.urls", null,
							"is empty while the topology source is patroni",
							"List the REST API URL of one or more members, such as http://pg-1:8008, http://pg-2:8008.");
				}
				for (java.net.URI url : urls) {
					if (url == null || url.getHost() == null
							|| !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
						throw new InvalidPoolConfigurationException(prefix + ".patroni.urls", url,
								"is not an http or https URL with a host",
								"Use a member's REST API URL such as http://pg-1:8008.");
					}
				}
				if (unlessBlank(this.properties.getPrimary().getUrl()) != null) {
					throw new InvalidPoolConfigurationException("app.datasource.primary.url",
							JdbcUrls.withoutCredentials(this.properties.getPrimary().getUrl()),
							"is not used: with the topology source patroni the primary is the leader Patroni names",
							"Remove app.datasource.primary.url; keep its username, password and pool settings.");
				}
			}
			case DNS -> {
				PoolProperties.Dns dns = topology.getDns();
				if (unlessBlank(dns.getName()) == null) {
					throw new InvalidPoolConfigurationException(prefix + ".dns.name", null,
							"is not set while the topology source is dns",
							"Set it to the name whose answer lists the replicas, such as pg-replicas.db.svc.cluster.local.");
				}
				if (dns.getPort() < 1 || dns.getPort() > 65535) {
					throw invalid(prefix + ".dns", "port", dns.getPort(), "must be between 1 and 65535",
							"Set it to the replicas' port, such as 5432.");
				}
				String resolver = unlessBlank(dns.getResolver());
				if (resolver != null && !DNS_RESOLVER.matcher(resolver).matches()) {
					throw invalid(prefix + ".dns", "resolver", resolver, "is not a host or host:port",
							"Set it to a DNS server such as 10.0.0.10 or 127.0.0.1:5353, or leave it unset.");
				}
			}
			case CUSTOM -> {
				if (!sourceBean) {
					throw new InvalidPoolConfigurationException(prefix + ".source", "custom",
							"no dev.pool.TopologySource bean is declared",
							"Declare a dev.pool.TopologySource bean, or choose static, patroni or dns.");
				}
			}
			default -> {
			}
		}
	}

	/**
	 * The primary's connection timeout, as its pool will have it.
	 * @return the configured value, or HikariCP's default
	 */
	Duration primaryConnectionTimeout() {
		Duration timeout = this.properties.getPrimary().getConnectionTimeout();
		return (timeout != null) ? timeout : DEFAULT_CONNECTION_TIMEOUT;
	}

	/**
	 * How many primary connections reads that fell back may hold.
	 * @param primary the primary's settings
	 * @return the configured value, or half the primary's maximum pool size (at least 1)
	 */
	int fallbackMaxConnections(PoolSettings primary) {
		Integer configured = this.properties.getRouting().getFallbackMaxConnections();
		if (configured == null) {
			return Math.max(1, primary.maximumPoolSize() / 2);
		}
		if (configured < 1 || configured > primary.maximumPoolSize()) {
			throw invalid("app.datasource.routing", "fallback-max-connections", configured,
					"must be between 1 and the primary's maximum-pool-size (" + primary.maximumPoolSize() + ")",
					"Set it to at most " + primary.maximumPoolSize()
							+ ", or leave it unset for half the primary's pool.");
		}
		return configured;
	}

	/**
	 * A discovered node's JDBC URL: the template with its host and port.
	 * @param node the node
	 * @return the URL
	 */
	String nodeUrl(TopologySource.Node node) {
		String template = this.properties.getTopology().getUrlTemplate();
		String host = (node.host().indexOf(':') >= 0 && !node.host().startsWith("[")) ? "[" + node.host() + "]"
				: node.host();
		return (template != null)
				? template.replace(HOST_PLACEHOLDER, host).replace(PORT_PLACEHOLDER, Integer.toString(node.port()))
				: "";
	}

	/**
	 * The settings of the pool of a primary a topology source named: every setting of
	 * {@code app.datasource.primary}, the URL from the template, and on PostgreSQL
	 * {@code targetServerType=primary} unless set, so the driver never connects this pool
	 * to a node that is in recovery (a demoted leader).
	 * @param connection the primary's URL (from the template) and credentials
	 * @param atStartup whether the application is starting (the primary then fails fast
	 * as configured); later pools never block on their first connection
	 * @return settings for pool {@code primary}
	 */
	PoolSettings discoveredPrimary(PrimaryConnection connection, boolean atStartup) {
		Pool primary = layered(new Pool(), this.properties.getPrimary());
		primary.setUrl(connection.url());
		if (!atStartup) {
			primary.setInitializationFailTimeout(REPLICA_INITIALIZATION_FAIL_TIMEOUT);
		}
		requirePrimaryServer(primary);
		return resolve(PRIMARY, PoolRole.PRIMARY, "app.datasource.primary", primary, new Pool(), connection.url(),
				primaryCredentials(connection), connection.driverClassName(), PRIMARY_INITIALIZATION_FAIL_TIMEOUT);
	}

	/**
	 * The settings of a discovered replica's pool: {@code app.datasource.replicas.<name>}
	 * over {@code app.datasource.primary}, the URL from the template.
	 * @param node the node
	 * @param primarySettings the primary's resolved settings, whose credentials replicas
	 * inherit
	 * @return settings for a pool named after the node
	 */
	PoolSettings discoveredReplica(TopologySource.Node node, PoolSettings primarySettings) {
		String name = node.name();
		String prefix = "app.datasource.replicas." + name;
		Pool own = this.properties.getReplicas().get(name);
		own = (own != null) ? own : new Pool();
		Login login = Login.inherited(primarySettings, name, username(own, prefix), password(own, prefix),
				unlessBlank(own.getDriverClassName()));
		return resolve(name, PoolRole.REPLICA, prefix, own, this.properties.getPrimary(), nodeUrl(node),
				login.credentials(), login.driverClassName(), REPLICA_INITIALIZATION_FAIL_TIMEOUT);
	}

	/**
	 * Resolves every {@code app.datasource.replicas.<name>} override of a discovered
	 * topology once, so a bad value fails at startup rather than when that replica
	 * appears.
	 * @param primarySettings the primary's resolved settings
	 */
	void validateReplicaOverrides(PoolSettings primarySettings) {
		for (String name : this.properties.getReplicas().keySet()) {
			if (PRIMARY.equalsIgnoreCase(name)) {
				throw new InvalidPoolConfigurationException("app.datasource.replicas." + name, null,
						"the name 'primary' is reserved for the read-write pool",
						"Rename the replica override under app.datasource.replicas.");
			}
			discoveredReplica(new TopologySource.Node(name, "localhost", 5432, null), primarySettings);
		}
	}

	private static void requirePrimaryServer(Pool primary) {
		String url = primary.getUrl();
		if (url == null || !url.startsWith("jdbc:postgresql:")
				|| url.toLowerCase(Locale.ROOT).contains("targetservertype=")
				|| primary.getDataSourceProperties().keySet().stream().anyMatch("targetServerType"::equalsIgnoreCase)) {
			return;
		}
		Map<String, String> properties = new LinkedHashMap<>(primary.getDataSourceProperties());
		properties.put("targetServerType", "primary");
		primary.setDataSourceProperties(properties);
	}

	/** Rejects read-your-writes settings that cannot work. */
	void validateConsistency() {
		PoolProperties.Consistency consistency = this.properties.getConsistency();
		Duration maxWait = consistency.getMaxWait();
		if (maxWait == null || maxWait.isNegative() || maxWait.compareTo(Duration.ofMinutes(1)) > 0) {
			throw invalid("app.datasource.consistency", "max-wait", maxWait, "must be between 0 and 1m",
					"Set it to 0 (reads go to the primary at once) or a short wait such as 100ms.");
		}
		Duration ttl = consistency.getTokenTtl();
		if (ttl == null || ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.toNanos() % 1_000_000_000L != 0) {
			throw invalid("app.datasource.consistency", "token-ttl", ttl,
					"must be a whole number of seconds, at least 1s (it becomes the cookie's Max-Age)",
					"Set it to 1s or more in whole seconds, such as 60s.");
		}
		String cookie = consistency.getCookieName();
		if (cookie == null || !COOKIE_NAME.matcher(cookie).matches()) {
			throw invalid("app.datasource.consistency", "cookie-name", cookie,
					"is not a valid cookie name (letters, digits and !#$%&'*+-.^_`|~ only)",
					"Use a name such as db-consistency.");
		}
	}

	/**
	 * Rejects tenancy settings that cannot work; called only when tenancy is on.
	 * @param directoryBean whether the application declares a TenantDirectory
	 * @param primarySettings the primary's resolved settings, inherited by tenant pools
	 */
	void validateTenants(boolean directoryBean, PoolSettings primarySettings) {
		PoolProperties.Tenants tenants = this.properties.getTenants();
		validateTenantSources(tenants);
		validateTenantLimits(tenants);
		validateTenantIds(tenants, directoryBean);
		if (tenants.getMode() == PoolProperties.TenantMode.DATABASE) {
			validateTenantPools(tenants, primarySettings);
		}
	}

	// Where a tenant's connections go: the URL template (mode database) or the schema
	// template (mode schema).
	private static void validateTenantSources(PoolProperties.Tenants tenants) {
		if (tenants.getMode() == PoolProperties.TenantMode.DATABASE) {
			String template = unlessBlank(tenants.getUrlTemplate());
			if (template == null || !template.contains(TENANT_PLACEHOLDER)) {
				throw invalid(TENANTS, "url-template", template, "must be a JDBC URL containing {tenant}",
						"Set it to a URL such as jdbc:postgresql://db:5432/tenant_{tenant}.");
			}
			if (unlessBlank(tenants.getUrl()) != null) {
				throw invalid(TENANTS, "url", JdbcUrls.withoutCredentials(tenants.getUrl()),
						"is not used: each tenant's URL comes from url-template",
						"Move it to app.datasource.tenants.url-template with {tenant} in place of the tenant id, or to app.datasource.tenants.overrides.<tenant>.url.");
			}
		}
		else {
			String template = tenants.getSchemaTemplate();
			if (template == null || !template.contains(TENANT_PLACEHOLDER)) {
				throw invalid(TENANTS, "schema-template", template, "must contain {tenant}",
						"Set it to a name such as tenant_{tenant}.");
			}
		}
	}

	// The header, the pool bounds and the migrations' locations.
	private static void validateTenantLimits(PoolProperties.Tenants tenants) {
		String header = tenants.getHeaderName();
		if (header == null || !COOKIE_NAME.matcher(header).matches()) {
			throw invalid(TENANTS, "header-name", header, "is not a valid HTTP header name",
					"Use a name such as X-Tenant-ID.");
		}
		if (tenants.getMaxLivePools() < 1) {
			throw invalid(TENANTS, "max-live-pools", tenants.getMaxLivePools(), "must be at least 1",
					"Set it to 1 or more (default 50).");
		}
		Duration idle = tenants.getPoolIdleTimeout();
		if (idle == null || idle.compareTo(Duration.ofSeconds(1)) < 0) {
			throw invalid(TENANTS, "pool-idle-timeout", idle, "must be at least 1s",
					"Set it to a duration such as 10m.");
		}
		if (tenants.getFlyway().isEnabled() && tenants.getFlyway().getLocations().isEmpty()) {
			throw invalid(TENANTS + ".flyway", "locations", null, "is empty while tenant migrations are on",
					"Set it to where the tenant migrations are, such as classpath:db/tenant, or set app.datasource.tenants.flyway.enabled to false.");
		}
	}

	// The id pattern, and the ids it must accept: the known ones and the overrides'
	// keys; some tenant must exist.
	private static void validateTenantIds(PoolProperties.Tenants tenants, boolean directoryBean) {
		Pattern idPattern;
		try {
			idPattern = Pattern.compile(tenants.getIdPattern());
		}
		catch (RuntimeException ex) {
			throw invalid(TENANTS, "id-pattern", tenants.getIdPattern(), "is not a regular expression",
					"Use a pattern such as [a-z0-9][a-z0-9_-]{0,62}.");
		}
		for (String id : tenants.getKnown()) {
			if (id == null || !idPattern.matcher(id).matches() || !TenantIds.isSafe(id)) {
				throw invalid(TENANTS, "known", id, "is not a valid tenant id (id-pattern " + tenants.getIdPattern()
						+ "; letters, digits, '_' and '-' only)", "Fix or remove the id.");
			}
		}
		if (tenants.getKnown().isEmpty() && !directoryBean) {
			throw new InvalidPoolConfigurationException(TENANTS + ".known", null,
					"no tenant exists: the list is empty and the application declares no TenantDirectory bean",
					"List the tenant ids under app.datasource.tenants.known, or declare a dev.pool.TenantDirectory bean.");
		}
		for (String id : tenants.getOverrides().keySet()) {
			if (!idPattern.matcher(id).matches() || !TenantIds.isSafe(id)) {
				throw new InvalidPoolConfigurationException(TENANTS + ".overrides." + id, null,
						"is not a valid tenant id", "Rename the key to a tenant id.");
			}
		}
	}

	// Resolving every configured pool now turns a bad value into a startup failure
	// instead of a 500 on some tenant's first request.
	private void validateTenantPools(PoolProperties.Tenants tenants, PoolSettings primarySettings) {
		int largest = 0;
		List<String> ids = new ArrayList<>(tenants.getOverrides().keySet());
		ids.add((tenants.getKnown().isEmpty()) ? "probe" : tenants.getKnown().get(0));
		for (String id : ids) {
			largest = Math.max(largest, tenant(id, primarySettings).maximumPoolSize());
		}
		Integer total = tenants.getMaxTotalConnections();
		if (total != null && total < largest) {
			throw invalid(TENANTS, "max-total-connections", total,
					"is below the largest tenant pool's maximum-pool-size (" + largest + ")",
					"Raise it to at least " + largest + " or lower the tenant pools' maximum-pool-size.");
		}
	}

	/**
	 * A tenant pool's settings (mode database): the tenant's override, then
	 * app.datasource.tenants.*, then pool size 3 and minimum idle 0, then the primary's.
	 * @param tenantId a valid tenant id
	 * @param primarySettings the primary's resolved settings
	 * @return the settings of pool {@code tenant-<id>}
	 */
	PoolSettings tenant(String tenantId, PoolSettings primarySettings) {
		// Checked here too, so no caller can put other characters into a URL.
		if (!TenantIds.isSafe(tenantId)) {
			throw new IllegalArgumentException("Not a safe tenant id");
		}
		PoolProperties.Tenants tenants = this.properties.getTenants();
		Pool override = tenants.getOverrides().get(tenantId);
		String prefix = (override != null) ? TENANTS + ".overrides." + tenantId : TENANTS;
		Pool own = layered((override != null) ? override : new Pool(), tenants);
		Pool inherited = layered(new Pool(), this.properties.getPrimary());
		inherited.setMaximumPoolSize(TENANT_DEFAULT_MAXIMUM_POOL_SIZE);
		inherited.setMinimumIdle(0);
		String url = (override != null) ? unlessBlank(override.getUrl()) : null;
		if (url == null) {
			String template = tenants.getUrlTemplate();
			url = (template != null) ? template.replace(TENANT_PLACEHOLDER, tenantId) : "";
		}
		String poolName = TENANT_POOL_PREFIX + tenantId;
		Login login = Login.inherited(primarySettings, poolName, username(own, prefix), password(own, prefix),
				unlessBlank(own.getDriverClassName()));
		return resolve(poolName, PoolRole.TENANT, prefix, own, inherited, url, login.credentials(),
				login.driverClassName(), REPLICA_INITIALIZATION_FAIL_TIMEOUT);
	}

	/**
	 * Every extra datasource's settings, in configuration order; they inherit nothing.
	 */
	List<PoolSettings> extras() {
		List<PoolSettings> extras = new ArrayList<>();
		this.properties.getExtra().forEach((name, extra) -> {
			String prefix = "app.datasource.extra." + name;
			if (PRIMARY.equalsIgnoreCase(name) || this.properties.getReplicas().containsKey(name)
					|| name.startsWith(TENANT_POOL_PREFIX)) {
				throw new InvalidPoolConfigurationException(prefix, null,
						"the name is taken by the primary, a replica or tenant pools",
						"Rename the datasource under app.datasource.extra, for example to 'reporting'.");
			}
			String url = (extra != null) ? unlessBlank(extra.getUrl()) : null;
			if (extra == null || url == null) {
				throw new InvalidPoolConfigurationException(prefix + ".url", null,
						"an extra datasource needs a JDBC URL",
						"Set " + prefix + ".url to its JDBC URL, or remove the datasource.");
			}
			Secret username = username(extra, prefix);
			Secret password = password(extra, prefix);
			CredentialSource credentials = CredentialSource.of(name,
					(username != null) ? username : Secret.literal(null, prefix + ".username"),
					(password != null) ? password : Secret.literal(null, prefix + ".password"),
					this.credentialsProvider, this.credentialRefresher);
			extras.add(resolve(name, PoolRole.EXTRA, prefix, extra, new Pool(), url, credentials,
					unlessBlank(extra.getDriverClassName()), REPLICA_INITIALIZATION_FAIL_TIMEOUT));
		});
		return extras;
	}

	// Every setting the top pool leaves unset comes from the bottom one.
	private static Pool layered(Pool top, Pool bottom) {
		Pool pool = new Pool();
		pool.setUrl(pickOrNull(top, bottom, Pool::getUrl));
		// A login half is taken whole from one layer: a file above overrides a literal
		// below, and the reverse.
		Pool username = (top.getUsername() != null || top.getUsernameFile() != null) ? top : bottom;
		pool.setUsername(username.getUsername());
		pool.setUsernameFile(username.getUsernameFile());
		Pool password = (top.getPassword() != null || top.getPasswordFile() != null) ? top : bottom;
		pool.setPassword(password.getPassword());
		pool.setPasswordFile(password.getPasswordFile());
		pool.setDriverClassName(pickOrNull(top, bottom, Pool::getDriverClassName));
		pool.setMaximumPoolSize(pickOrNull(top, bottom, Pool::getMaximumPoolSize));
		pool.setMinimumIdle(pickOrNull(top, bottom, Pool::getMinimumIdle));
		pool.setConnectionTimeout(pickOrNull(top, bottom, Pool::getConnectionTimeout));
		pool.setIdleTimeout(pickOrNull(top, bottom, Pool::getIdleTimeout));
		pool.setMaxLifetime(pickOrNull(top, bottom, Pool::getMaxLifetime));
		pool.setKeepaliveTime(pickOrNull(top, bottom, Pool::getKeepaliveTime));
		pool.setValidationTimeout(pickOrNull(top, bottom, Pool::getValidationTimeout));
		pool.setLeakDetectionThreshold(pickOrNull(top, bottom, Pool::getLeakDetectionThreshold));
		pool.setInitializationFailTimeout(pickOrNull(top, bottom, Pool::getInitializationFailTimeout));
		pool.setConnectionInitSql(pickOrNull(top, bottom, Pool::getConnectionInitSql));
		pool.setAutoCommit(pickOrNull(top, bottom, Pool::getAutoCommit));
		pool.setTransactionIsolation(pickOrNull(top, bottom, Pool::getTransactionIsolation));
		pool.setSchema(pickOrNull(top, bottom, Pool::getSchema));
		pool.setCatalog(pickOrNull(top, bottom, Pool::getCatalog));
		Map<String, String> properties = new LinkedHashMap<>(bottom.getDataSourceProperties());
		properties.putAll(top.getDataSourceProperties());
		pool.setDataSourceProperties(properties);
		return pool;
	}

	/** The primary's settings with its connection resolved from wherever it came from. */
	PoolSettings primary(PrimaryConnection connection) {
		Pool primary = this.properties.getPrimary();
		return resolve(PRIMARY, PoolRole.PRIMARY, "app.datasource.primary", primary, new Pool(), connection.url(),
				primaryCredentials(connection), connection.driverClassName(), PRIMARY_INITIALIZATION_FAIL_TIMEOUT);
	}

	/** Every replica's settings, in configuration order, with no connection details. */
	List<PoolSettings> replicas(PoolSettings primarySettings) {
		return replicas(primarySettings, Map.of());
	}

	/**
	 * Every replica's settings: those under {@code app.datasource.replicas} in
	 * configuration order, then those only connection details name. As in Spring Boot,
	 * details win over properties for the URL and credentials; pool settings stay the
	 * properties'.
	 * @param primarySettings the primary's resolved settings, whose credentials and
	 * settings replicas inherit
	 * @param details replica name to the connection details that name it
	 */
	List<PoolSettings> replicas(PoolSettings primarySettings, Map<String, JdbcConnectionDetails> details) {
		List<PoolSettings> replicas = new ArrayList<>();
		Map<String, Pool> configured = new LinkedHashMap<>(this.properties.getReplicas());
		details.keySet().forEach((name) -> configured.putIfAbsent(name, null));
		configured.forEach((name, replica) -> {
			String prefix = "app.datasource.replicas." + name;
			if (PRIMARY.equalsIgnoreCase(name)) {
				throw new InvalidPoolConfigurationException(prefix, null,
						"the name 'primary' is reserved for the read-write pool",
						"Rename the replica under app.datasource.replicas (or in its ReplicaConnectionDetails), "
								+ "for example to 'replica-1'.");
			}
			Pool own = (replica != null) ? replica : new Pool();
			JdbcConnectionDetails detail = details.get(name);
			if (detail != null
					&& (this.properties.getExtra().containsKey(name) || name.startsWith(TENANT_POOL_PREFIX))) {
				throw new InvalidPoolConfigurationException(prefix, null,
						"the ReplicaConnectionDetails name '" + name
								+ "' is taken by an extra datasource or tenant pools",
						"Rename the replica in its ReplicaConnectionDetails, or the datasource under app.datasource.extra.");
			}
			String url = (detail != null) ? unlessBlank(detail.getJdbcUrl()) : unlessBlank(own.getUrl());
			if (url == null) {
				throw new InvalidPoolConfigurationException(prefix + ".url", null, "a replica needs a JDBC URL",
						"Set " + prefix + ".url to the replica's JDBC URL, or remove the replica.");
			}
			if (detail != null && unlessBlank(own.getUrl()) != null) {
				logger.info("Replica '" + name + "' comes from a ReplicaConnectionDetails bean ("
						+ detail.getClass().getSimpleName() + "); " + prefix
						+ ".url is not used, as Spring Boot prefers connection details over properties");
			}
			// Connection details win over properties for the login, as for the URL.
			Secret ownUsername = (detail != null) ? ((detail.getUsername() != null)
					? Secret.literal(detail.getUsername(), prefix + ".username") : null) : username(own, prefix);
			Secret ownPassword = (detail != null) ? ((detail.getPassword() != null)
					? Secret.literal(detail.getPassword(), prefix + ".password") : null) : password(own, prefix);
			String ownDriver = (detail != null) ? detail.getDriverClassName() : unlessBlank(own.getDriverClassName());
			Login login = Login.inherited(primarySettings, name, ownUsername, ownPassword, ownDriver);
			replicas.add(resolve(name, PoolRole.REPLICA, prefix, own, this.properties.getPrimary(), url,
					login.credentials(), login.driverClassName(), REPLICA_INITIALIZATION_FAIL_TIMEOUT));
		});
		return replicas;
	}

	/**
	 * The primary's login: the connection's (details, {@code app.datasource.primary},
	 * {@code spring.datasource}), with {@code app.datasource.primary.username-file} and
	 * {@code password-file} over it unless connection details gave it, as Spring Boot
	 * prefers details over properties.
	 */
	private CredentialSource primaryCredentials(PrimaryConnection connection) {
		String prefix = "app.datasource.primary";
		Pool primary = this.properties.getPrimary();
		Secret username = Secret.literal(connection.username(), prefix + ".username");
		Secret password = Secret.literal(connection.password(), prefix + ".password");
		if (!connection.fromConnectionDetails()) {
			Secret ownUsername = username(primary, prefix);
			Secret ownPassword = password(primary, prefix);
			username = (ownUsername != null && ownUsername.isFile()) ? ownUsername : username;
			password = (ownPassword != null && ownPassword.isFile()) ? ownPassword : password;
		}
		return CredentialSource.of(PRIMARY, username, password, this.credentialsProvider, this.credentialRefresher);
	}

	// A pool's own username: a file, a literal, or null to inherit.
	private static @Nullable Secret username(Pool pool, String prefix) {
		return secret(pool.getUsername(), pool.getUsernameFile(), prefix, "username");
	}

	// A pool's own password: a file, a literal, or null to inherit.
	private static @Nullable Secret password(Pool pool, String prefix) {
		return secret(pool.getPassword(), pool.getPasswordFile(), prefix, "password");
	}

	private static @Nullable Secret secret(@Nullable String literal, @Nullable Path file, String prefix, String what) {
		if (file == null) {
			return (literal != null) ? Secret.literal(literal, prefix + "." + what) : null;
		}
		String property = prefix + "." + what + "-file";
		// An empty literal (password: ${DB_PASSWORD:} with the variable unset) is no
		// value: the file stands alone.
		if (literal != null && !literal.isEmpty()) {
			throw new InvalidPoolConfigurationException(property, file, "is set together with " + prefix + "." + what,
					"Keep one of them: " + property + " for a mounted secret that may change, or " + prefix + "." + what
							+ " for a fixed value.");
		}
		Secret secret = Secret.file(file, property);
		try {
			String value = secret.read();
			if (value == null || value.isEmpty()) {
				throw new InvalidPoolConfigurationException(property, file, "the file is empty",
						"Write the " + what + " into it (a trailing line break is stripped, nothing else).");
			}
		}
		catch (IOException ex) {
			// Only the exception's type: its message is the path, which the property
			// already names, and never anything read.
			throw new InvalidPoolConfigurationException(property, file,
					"the file cannot be read (" + ex.getClass().getSimpleName() + ")",
					"Mount the secret at that path, or point " + property + " at the file that holds the " + what
							+ " alone (readable by this process).");
		}
		return secret;
	}

	private PoolSettings resolve(String name, PoolRole role, String prefix, Pool own, Pool inherited, String url,
			CredentialSource credentials, @Nullable String driverClassName, Duration defaultInitializationFailTimeout) {
		int maximumPoolSize = pick(own, inherited, Pool::getMaximumPoolSize, DEFAULT_MAXIMUM_POOL_SIZE);
		int minimumIdle = pick(own, inherited, Pool::getMinimumIdle, maximumPoolSize);
		Duration connectionTimeout = pick(own, inherited, Pool::getConnectionTimeout, DEFAULT_CONNECTION_TIMEOUT);
		Duration idleTimeout = pick(own, inherited, Pool::getIdleTimeout, DEFAULT_IDLE_TIMEOUT);
		Duration maxLifetime = pick(own, inherited, Pool::getMaxLifetime, DEFAULT_MAX_LIFETIME);
		Duration keepaliveTime = pick(own, inherited, Pool::getKeepaliveTime, DEFAULT_KEEPALIVE_TIME);
		Duration validationTimeout = pick(own, inherited, Pool::getValidationTimeout, DEFAULT_VALIDATION_TIMEOUT);
		Duration leakDetectionThreshold = pick(own, inherited, Pool::getLeakDetectionThreshold, Duration.ZERO);
		// Replicas never inherit the primary's fail-fast: an unreachable replica must not
		// stop startup.
		Duration initializationFailTimeout = (own.getInitializationFailTimeout() != null)
				? own.getInitializationFailTimeout() : defaultInitializationFailTimeout;
		String connectionInitSql = pickOrNull(own, inherited, Pool::getConnectionInitSql);
		boolean autoCommit = pick(own, inherited, Pool::getAutoCommit, Boolean.TRUE);
		String isolation = pickOrNull(own, inherited, Pool::getTransactionIsolation);
		String schema = pickOrNull(own, inherited, Pool::getSchema);
		String catalog = pickOrNull(own, inherited, Pool::getCatalog);
		Map<String, String> dataSourceProperties = new LinkedHashMap<>(inherited.getDataSourceProperties());
		dataSourceProperties.putAll(own.getDataSourceProperties());
		tagApplicationName(name, url, dataSourceProperties);
		// The routed pools of a fleet start with one connection at most, and wait for
		// slots before they open more.
		boolean parked = this.fleetInstance != null && (role == PoolRole.PRIMARY || role == PoolRole.REPLICA);
		PoolSettings settings = new PoolSettings(name, role, prefix, url, credentials, driverClassName, maximumPoolSize,
				minimumIdle, connectionTimeout, idleTimeout, maxLifetime, keepaliveTime, validationTimeout,
				leakDetectionThreshold, initializationFailTimeout, connectionInitSql, autoCommit,
				(isolation != null) ? isolation.toUpperCase(Locale.ROOT) : null, schema, catalog,
				Map.copyOf(dataSourceProperties), parked);
		validate(settings, isolation);
		return settings;
	}

	// The rules a pool's resolved settings must follow, each failure naming the property,
	// its value, the rule and the fix.
	private static void validate(PoolSettings settings, @Nullable String isolation) {
		String prefix = settings.propertyPrefix();
		int maximumPoolSize = settings.maximumPoolSize();
		int minimumIdle = settings.minimumIdle();
		Duration idleTimeout = settings.idleTimeout();
		Duration maxLifetime = settings.maxLifetime();
		Duration keepaliveTime = settings.keepaliveTime();
		Duration leakDetectionThreshold = settings.leakDetectionThreshold();
		if (settings.url().isBlank()) {
			throw new InvalidPoolConfigurationException(prefix + ".url", null, "no JDBC URL",
					"Set " + prefix + ".url.");
		}
		if (maximumPoolSize < 1) {
			throw invalid(prefix, "maximum-pool-size", maximumPoolSize, "must be at least 1",
					"Set it to 1 or more (HikariCP's default is 10).");
		}
		if (minimumIdle < 0) {
			throw invalid(prefix, "minimum-idle", minimumIdle, "must not be negative",
					"Set it between 0 and maximum-pool-size (" + maximumPoolSize + ").");
		}
		if (minimumIdle > maximumPoolSize) {
			throw invalid(prefix, "minimum-idle", minimumIdle,
					"is greater than maximum-pool-size (" + maximumPoolSize + ")",
					"Lower " + prefix + ".minimum-idle to at most " + maximumPoolSize + " or raise " + prefix
							+ ".maximum-pool-size.");
		}
		atLeast(prefix, "connection-timeout", settings.connectionTimeout(), TIMEOUT_FLOOR, false);
		atLeast(prefix, "validation-timeout", settings.validationTimeout(), TIMEOUT_FLOOR, false);
		atLeast(prefix, "max-lifetime", maxLifetime, Duration.ofSeconds(30), true);
		atLeast(prefix, "keepalive-time", keepaliveTime, Duration.ofSeconds(30), true);
		atLeast(prefix, "leak-detection-threshold", leakDetectionThreshold, Duration.ofSeconds(2), true);
		if (minimumIdle < maximumPoolSize) {
			atLeast(prefix, "idle-timeout", idleTimeout, Duration.ofSeconds(10), true);
		}
		if (!keepaliveTime.isZero() && !maxLifetime.isZero() && keepaliveTime.compareTo(maxLifetime) >= 0) {
			throw invalid(prefix, "keepalive-time", keepaliveTime, "must be below max-lifetime (" + maxLifetime + ")",
					"Lower keepalive-time or raise max-lifetime.");
		}
		if (!leakDetectionThreshold.isZero() && !maxLifetime.isZero()
				&& leakDetectionThreshold.compareTo(maxLifetime) > 0) {
			throw invalid(prefix, "leak-detection-threshold", leakDetectionThreshold,
					"must not exceed max-lifetime (" + maxLifetime + ")", "Lower leak-detection-threshold.");
		}
		if (minimumIdle < maximumPoolSize && !idleTimeout.isZero() && !maxLifetime.isZero()
				&& idleTimeout.plusSeconds(1).compareTo(maxLifetime) > 0) {
			throw invalid(prefix, "idle-timeout", idleTimeout,
					"must be at least 1s below max-lifetime (" + maxLifetime + ")",
					"Lower idle-timeout or raise max-lifetime.");
		}
		if (isolation != null && !ISOLATION_LEVELS.contains(isolation.toUpperCase(Locale.ROOT))) {
			throw invalid(prefix, "transaction-isolation", isolation, "is not a java.sql.Connection isolation level",
					"Use one of " + String.join(", ", ISOLATION_LEVELS.stream().sorted().toList()) + ".");
		}
	}

	/**
	 * The isolation level a pool applies, as a {@link Connection} constant, or
	 * {@code null}.
	 */
	static @Nullable Integer isolationLevel(PoolSettings settings) {
		if (settings.transactionIsolation() == null) {
			return null;
		}
		return switch (settings.transactionIsolation()) {
			case "TRANSACTION_NONE" -> Connection.TRANSACTION_NONE;
			case "TRANSACTION_READ_UNCOMMITTED" -> Connection.TRANSACTION_READ_UNCOMMITTED;
			case "TRANSACTION_READ_COMMITTED" -> Connection.TRANSACTION_READ_COMMITTED;
			case "TRANSACTION_REPEATABLE_READ" -> Connection.TRANSACTION_REPEATABLE_READ;
			default -> Connection.TRANSACTION_SERIALIZABLE;
		};
	}

	private void tagApplicationName(String pool, String url, Map<String, String> dataSourceProperties) {
		if (!url.startsWith("jdbc:postgresql:") || url.toLowerCase(Locale.ROOT).contains("applicationname=")
				|| dataSourceProperties.keySet().stream().anyMatch("ApplicationName"::equalsIgnoreCase)) {
			return;
		}
		// In a fleet, the instance too: its sessions can be counted by instance.
		dataSourceProperties.put("ApplicationName",
				this.applicationName + ":" + pool + ((this.fleetInstance != null) ? ":" + this.fleetInstance : ""));
	}

	// An empty YAML value ("schema:") means unset, like an absent one.
	private static <T> T pick(Pool own, Pool inherited, Function<Pool, @Nullable T> getter, T fallback) {
		T value = pickOrNull(own, inherited, getter);
		return (value != null) ? value : fallback;
	}

	private static <T> @Nullable T pickOrNull(Pool own, Pool inherited, Function<Pool, @Nullable T> getter) {
		T value = unlessBlank(getter.apply(own));
		return (value != null) ? value : unlessBlank(getter.apply(inherited));
	}

	private static <T> @Nullable T unlessBlank(@Nullable T value) {
		return (value instanceof String text && text.isBlank()) ? null : value;
	}

	private static void atLeast(String prefix, String property, Duration value, Duration floor, boolean zeroAllowed) {
		if (zeroAllowed && value.isZero()) {
			return;
		}
		if (value.compareTo(floor) < 0) {
			throw invalid(prefix, property, value,
					"is below HikariCP's minimum of " + floor.toMillis() + "ms"
							+ (zeroAllowed ? " (0 turns it off)" : "") + "; HikariCP would silently replace it",
					"Set " + prefix + "." + property + " to at least " + floor.toMillis() + "ms"
							+ (zeroAllowed ? " or to 0" : "") + ".");
		}
	}

	private static InvalidPoolConfigurationException invalid(String prefix, String property, @Nullable Object value,
			String problem, String action) {
		return new InvalidPoolConfigurationException(prefix + "." + property, value, problem, action);
	}

	/**
	 * The login and driver of a pool that inherits the primary's: its own username,
	 * password and driver, where it has them, win one by one.
	 */
	private record Login(CredentialSource credentials, @Nullable String driverClassName) {

		static Login inherited(PoolSettings primary, String name, @Nullable Secret username, @Nullable Secret password,
				@Nullable String driverClassName) {
			return new Login(primary.credentials().overriddenBy(name, username, password),
					(driverClassName != null) ? driverClassName : primary.driverClassName());
		}

	}

}
