package dev.pool.autoconfigure;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pool.LoadBalancing;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the primary and replica connection pools and of read routing, bound to
 * {@code app.datasource}.
 */
@ConfigurationProperties("app.datasource")
public class PoolProperties {

	/**
	 * The read-write database. Without a URL here, the primary comes from a
	 * JdbcConnectionDetails bean, else from spring.datasource.url/username/password.
	 */
	private Pool primary = new Pool();

	/**
	 * Read replicas by name; the name is also the pool name. Every setting a replica
	 * leaves out is inherited from the primary.
	 */
	private Map<String, Pool> replicas = new LinkedHashMap<>();

	/**
	 * How reads are routed to replicas.
	 */
	private Routing routing = new Routing();

	/**
	 * How pool exhaustion is answered over HTTP.
	 */
	private Exhaustion exhaustion = new Exhaustion();

	/**
	 * Graceful drain of the pools at shutdown.
	 */
	private Drain drain = new Drain();

	/**
	 * Micrometer observations of the pools (traces and the pool.borrow timer).
	 */
	private Observations observations = new Observations();

	/**
	 * Circuit breaker in front of the primary.
	 */
	private CircuitBreaker circuitBreaker = new CircuitBreaker();

	/**
	 * Read-your-writes: a caller's reads after its writes.
	 */
	private Consistency consistency = new Consistency();

	/**
	 * Multi-tenancy: a pool per tenant database, or a schema per tenant on the primary;
	 * on when mode is set.
	 */
	private Tenants tenants = new Tenants();

	/**
	 * Extra datasources by name, each with a pool of its own that is never routed and
	 * inherits nothing from the primary; injected with @Qualifier("<name>DataSource").
	 */
	private Map<String, Pool> extra = new LinkedHashMap<>();

	/**
	 * Where the primary and the replicas come from: the properties above (static), or a
	 * source read while the application runs (Patroni, DNS, a TopologySource bean).
	 */
	private Topology topology = new Topology();

	/**
	 * A connection budget every instance of this service shares on each database server;
	 * off unless max-connections is set.
	 */
	private Fleet fleet = new Fleet();

	/**
	 * How each pool's live maximum is chosen.
	 */
	private Sizing sizing = new Sizing();

	/**
	 * How often logins from files or a PoolCredentials bean are read again.
	 */
	private Credentials credentials = new Credentials();

	public Credentials getCredentials() {
		return this.credentials;
	}

	public void setCredentials(Credentials credentials) {
		this.credentials = credentials;
	}

	public Fleet getFleet() {
		return this.fleet;
	}

	public void setFleet(Fleet fleet) {
		this.fleet = fleet;
	}

	public Sizing getSizing() {
		return this.sizing;
	}

	public void setSizing(Sizing sizing) {
		this.sizing = sizing;
	}

	public Topology getTopology() {
		return this.topology;
	}

	public void setTopology(Topology topology) {
		this.topology = topology;
	}

	public Tenants getTenants() {
		return this.tenants;
	}

	public void setTenants(Tenants tenants) {
		this.tenants = tenants;
	}

	public Map<String, Pool> getExtra() {
		return this.extra;
	}

	public void setExtra(Map<String, Pool> extra) {
		this.extra = extra;
	}

	public Consistency getConsistency() {
		return this.consistency;
	}

	public void setConsistency(Consistency consistency) {
		this.consistency = consistency;
	}

	public Exhaustion getExhaustion() {
		return this.exhaustion;
	}

	public void setExhaustion(Exhaustion exhaustion) {
		this.exhaustion = exhaustion;
	}

	public Observations getObservations() {
		return this.observations;
	}

	public Drain getDrain() {
		return this.drain;
	}

	public void setDrain(Drain drain) {
		this.drain = drain;
	}

	public CircuitBreaker getCircuitBreaker() {
		return this.circuitBreaker;
	}

	public void setCircuitBreaker(CircuitBreaker circuitBreaker) {
		this.circuitBreaker = circuitBreaker;
	}

	public Pool getPrimary() {
		return this.primary;
	}

	public void setPrimary(Pool primary) {
		this.primary = primary;
	}

	public Map<String, Pool> getReplicas() {
		return this.replicas;
	}

	public void setReplicas(Map<String, Pool> replicas) {
		this.replicas = replicas;
	}

	public Routing getRouting() {
		return this.routing;
	}

	public void setRouting(Routing routing) {
		this.routing = routing;
	}

	/**
	 * Connection and HikariCP settings of one pool; unset values fall back to the
	 * primary's (for a replica) and then to HikariCP's defaults.
	 */
	public static class Pool {

		/**
		 * JDBC URL of the database.
		 */
		private @Nullable String url;

		/**
		 * Login user of the database.
		 */
		private @Nullable String username;

		/**
		 * Login password of the database.
		 */
		private @Nullable String password;

		/**
		 * File holding the login user (a mounted secret), read at startup and again when
		 * it changes; instead of username.
		 */
		private @Nullable Path usernameFile;

		/**
		 * File holding the login password (a mounted secret), read at startup and again
		 * when it changes; instead of password.
		 */
		private @Nullable Path passwordFile;

		/**
		 * Fully qualified JDBC driver class name; derived from the URL when not set.
		 */
		private @Nullable String driverClassName;

		/**
		 * Maximum number of connections in the pool, in use or idle (HikariCP default
		 * 10).
		 */
		private @Nullable Integer maximumPoolSize;

		/**
		 * Minimum number of idle connections the pool keeps (HikariCP default: the
		 * maximum pool size).
		 */
		private @Nullable Integer minimumIdle;

		/**
		 * Maximum time to wait for a connection from the pool before failing, at least
		 * 250ms (HikariCP default 30s).
		 */
		private @Nullable Duration connectionTimeout;

		/**
		 * Maximum time a connection may sit idle above minimum-idle before it is retired,
		 * 0 or at least 10s (HikariCP default 10m).
		 */
		private @Nullable Duration idleTimeout;

		/**
		 * Maximum lifetime of a connection in the pool, 0 (no limit) or at least 30s
		 * (HikariCP default 30m).
		 */
		private @Nullable Duration maxLifetime;

		/**
		 * How often an idle connection is kept alive, 0 (off) or at least 30s and below
		 * max-lifetime (HikariCP default 2m).
		 */
		private @Nullable Duration keepaliveTime;

		/**
		 * Maximum time a connection is tested for aliveness, at least 250ms and below
		 * connection-timeout (HikariCP default 5s).
		 */
		private @Nullable Duration validationTimeout;

		/**
		 * How long a connection may be out of the pool before a possible leak is logged,
		 * 0 (off) or at least 2s (HikariCP default off).
		 */
		private @Nullable Duration leakDetectionThreshold;

		/**
		 * How long the pool tries to get its first connection at startup before failing;
		 * a negative value starts without trying. Replicas never block startup: they
		 * default to -1.
		 */
		private @Nullable Duration initializationFailTimeout;

		/**
		 * SQL run on every new connection before it enters the pool.
		 */
		private @Nullable String connectionInitSql;

		/**
		 * Default auto-commit state of connections (HikariCP default true).
		 */
		private @Nullable Boolean autoCommit;

		/**
		 * Default transaction isolation, as a java.sql.Connection constant name such as
		 * TRANSACTION_READ_COMMITTED (default: the driver's).
		 */
		private @Nullable String transactionIsolation;

		/**
		 * Default schema of connections.
		 */
		private @Nullable String schema;

		/**
		 * Default catalog of connections.
		 */
		private @Nullable String catalog;

		/**
		 * Properties passed to the JDBC driver; a replica's map is merged over the
		 * primary's.
		 */
		private Map<String, String> dataSourceProperties = new LinkedHashMap<>();

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public @Nullable Path getUsernameFile() {
			return this.usernameFile;
		}

		public void setUsernameFile(@Nullable Path usernameFile) {
			this.usernameFile = usernameFile;
		}

		public @Nullable Path getPasswordFile() {
			return this.passwordFile;
		}

		public void setPasswordFile(@Nullable Path passwordFile) {
			this.passwordFile = passwordFile;
		}

		public @Nullable String getDriverClassName() {
			return this.driverClassName;
		}

		public void setDriverClassName(@Nullable String driverClassName) {
			this.driverClassName = driverClassName;
		}

		public @Nullable Integer getMaximumPoolSize() {
			return this.maximumPoolSize;
		}

		public void setMaximumPoolSize(@Nullable Integer maximumPoolSize) {
			this.maximumPoolSize = maximumPoolSize;
		}

		public @Nullable Integer getMinimumIdle() {
			return this.minimumIdle;
		}

		public void setMinimumIdle(@Nullable Integer minimumIdle) {
			this.minimumIdle = minimumIdle;
		}

		public @Nullable Duration getConnectionTimeout() {
			return this.connectionTimeout;
		}

		public void setConnectionTimeout(@Nullable Duration connectionTimeout) {
			this.connectionTimeout = connectionTimeout;
		}

		public @Nullable Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(@Nullable Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

		public @Nullable Duration getMaxLifetime() {
			return this.maxLifetime;
		}

		public void setMaxLifetime(@Nullable Duration maxLifetime) {
			this.maxLifetime = maxLifetime;
		}

		public @Nullable Duration getKeepaliveTime() {
			return this.keepaliveTime;
		}

		public void setKeepaliveTime(@Nullable Duration keepaliveTime) {
			this.keepaliveTime = keepaliveTime;
		}

		public @Nullable Duration getValidationTimeout() {
			return this.validationTimeout;
		}

		public void setValidationTimeout(@Nullable Duration validationTimeout) {
			this.validationTimeout = validationTimeout;
		}

		public @Nullable Duration getLeakDetectionThreshold() {
			return this.leakDetectionThreshold;
		}

		public void setLeakDetectionThreshold(@Nullable Duration leakDetectionThreshold) {
			this.leakDetectionThreshold = leakDetectionThreshold;
		}

		public @Nullable Duration getInitializationFailTimeout() {
			return this.initializationFailTimeout;
		}

		public void setInitializationFailTimeout(@Nullable Duration initializationFailTimeout) {
			this.initializationFailTimeout = initializationFailTimeout;
		}

		public @Nullable String getConnectionInitSql() {
			return this.connectionInitSql;
		}

		public void setConnectionInitSql(@Nullable String connectionInitSql) {
			this.connectionInitSql = connectionInitSql;
		}

		public @Nullable Boolean getAutoCommit() {
			return this.autoCommit;
		}

		public void setAutoCommit(@Nullable Boolean autoCommit) {
			this.autoCommit = autoCommit;
		}

		public @Nullable String getTransactionIsolation() {
			return this.transactionIsolation;
		}

		public void setTransactionIsolation(@Nullable String transactionIsolation) {
			this.transactionIsolation = transactionIsolation;
		}

		public @Nullable String getSchema() {
			return this.schema;
		}

		public void setSchema(@Nullable String schema) {
			this.schema = schema;
		}

		public @Nullable String getCatalog() {
			return this.catalog;
		}

		public void setCatalog(@Nullable String catalog) {
			this.catalog = catalog;
		}

		public Map<String, String> getDataSourceProperties() {
			return this.dataSourceProperties;
		}

		public void setDataSourceProperties(Map<String, String> dataSourceProperties) {
			this.dataSourceProperties = dataSourceProperties;
		}

	}

	/**
	 * Read routing settings.
	 */
	public static class Routing {

		/**
		 * How a read picks among the eligible replicas.
		 */
		private LoadBalancing loadBalancing = LoadBalancing.ROUND_ROBIN;

		/**
		 * Whether reads use the primary when no replica can serve them; when false such a
		 * read fails.
		 */
		private boolean fallbackToPrimary = true;

		/**
		 * How often each replica is validated (and its lag measured); failing replicas
		 * are ejected, passing ones re-admitted.
		 */
		private Duration healthCheckInterval = Duration.ofSeconds(5);

		/**
		 * Replay lag above which a replica receives no reads until it catches up; 0
		 * disables lag-aware routing. Measured on PostgreSQL only.
		 */
		private Duration maxReplicaLag = Duration.ofSeconds(10);

		/**
		 * How many primary connections reads that fell back to the primary (no replica
		 * could serve them) may hold at once, so writes keep the rest; beyond it such a
		 * read fails with NoReplicaAvailableException (503). Default: half the primary's
		 * maximum-pool-size, at least 1.
		 */
		private @Nullable Integer fallbackMaxConnections;

		public @Nullable Integer getFallbackMaxConnections() {
			return this.fallbackMaxConnections;
		}

		public void setFallbackMaxConnections(@Nullable Integer fallbackMaxConnections) {
			this.fallbackMaxConnections = fallbackMaxConnections;
		}

		public Duration getHealthCheckInterval() {
			return this.healthCheckInterval;
		}

		public void setHealthCheckInterval(Duration healthCheckInterval) {
			this.healthCheckInterval = healthCheckInterval;
		}

		public Duration getMaxReplicaLag() {
			return this.maxReplicaLag;
		}

		public void setMaxReplicaLag(Duration maxReplicaLag) {
			this.maxReplicaLag = maxReplicaLag;
		}

		public LoadBalancing getLoadBalancing() {
			return this.loadBalancing;
		}

		public void setLoadBalancing(LoadBalancing loadBalancing) {
			this.loadBalancing = loadBalancing;
		}

		public boolean isFallbackToPrimary() {
			return this.fallbackToPrimary;
		}

		public void setFallbackToPrimary(boolean fallbackToPrimary) {
			this.fallbackToPrimary = fallbackToPrimary;
		}

	}

	/**
	 * HTTP answer to pool exhaustion.
	 */
	public static class Exhaustion {

		/**
		 * Whether a request that could not get a connection in time is answered with 503
		 * and a problem detail instead of a 500.
		 */
		private boolean enabled = true;

		/**
		 * Value of the Retry-After header on such a 503, in whole seconds (at least 1s).
		 */
		private Duration retryAfter = Duration.ofSeconds(1);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getRetryAfter() {
			return this.retryAfter;
		}

		public void setRetryAfter(Duration retryAfter) {
			this.retryAfter = retryAfter;
		}

	}

	/**
	 * Observations.
	 */
	public static class Observations {

		/**
		 * Whether each routed borrow is a Micrometer observation (pool.borrow, with the
		 * pool, role and routing reason) when the application has an ObservationRegistry;
		 * default: on when Micrometer Tracing is on the class path.
		 */
		private @Nullable Boolean enabled;

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Shutdown drain.
	 */
	public static class Drain {

		/**
		 * How long borrowed connections may take to come back at shutdown before the
		 * pools close them by force.
		 */
		private Duration timeout = Duration.ofSeconds(30);

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * Read-your-writes settings.
	 */
	public static class Consistency {

		/**
		 * Whether a caller's reads after its writes go only to a replica that has
		 * replayed them (else to the primary); on by default when replicas are
		 * configured.
		 */
		private @Nullable Boolean readYourWrites;

		/**
		 * How long a read may wait for a replica to replay the caller's writes before it
		 * goes to the primary; 0 does not wait.
		 */
		private Duration maxWait = Duration.ZERO;

		/**
		 * Name of the cookie that carries a client's position between requests.
		 */
		private String cookieName = "db-consistency";

		/**
		 * How long a write's position counts for its caller (the cookie's lifetime), in
		 * whole seconds.
		 */
		private Duration tokenTtl = Duration.ofSeconds(60);

		public @Nullable Boolean getReadYourWrites() {
			return this.readYourWrites;
		}

		public void setReadYourWrites(@Nullable Boolean readYourWrites) {
			this.readYourWrites = readYourWrites;
		}

		public Duration getMaxWait() {
			return this.maxWait;
		}

		public void setMaxWait(Duration maxWait) {
			this.maxWait = maxWait;
		}

		public String getCookieName() {
			return this.cookieName;
		}

		public void setCookieName(String cookieName) {
			this.cookieName = cookieName;
		}

		public Duration getTokenTtl() {
			return this.tokenTtl;
		}

		public void setTokenTtl(Duration tokenTtl) {
			this.tokenTtl = tokenTtl;
		}

	}

	/**
	 * Multi-tenancy settings; every pool setting here applies to each tenant pool (mode
	 * database), overriding the primary's.
	 */
	public static class Tenants extends Pool {

		/**
		 * How tenants are isolated: database (a pool per tenant database) or schema (the
		 * primary's pool, each connection set to the tenant's schema); unset turns
		 * tenancy off.
		 */
		private @Nullable TenantMode mode;

		/**
		 * JDBC URL of a tenant's database with {tenant} in place of the tenant id, such
		 * as jdbc:postgresql://db:5432/tenant_{tenant} (mode database).
		 */
		private @Nullable String urlTemplate;

		/**
		 * Name of a tenant's schema with {tenant} in place of the tenant id (mode
		 * schema).
		 */
		private String schemaTemplate = "tenant_{tenant}";

		/**
		 * The tenants that exist, unless the application declares a TenantDirectory bean;
		 * any other id is answered with 404.
		 */
		private List<String> known = new ArrayList<>();

		/**
		 * Regular expression a tenant id must match; any other id is answered with 400.
		 */
		private String idPattern = "[a-z0-9][a-z0-9_-]{0,62}";

		/**
		 * HTTP request header that names the tenant, unless the application declares a
		 * TenantResolver bean.
		 */
		private String headerName = "X-Tenant-ID";

		/**
		 * Whether a web request without a tenant is answered with 400 instead of using
		 * the primary and replicas.
		 */
		private boolean requireTenant;

		/**
		 * Tenant pools open at once; opening one more first closes the least recently
		 * used (mode database).
		 */
		private int maxLivePools = 50;

		/**
		 * How long a tenant pool may go unused before it is closed (mode database).
		 */
		private Duration poolIdleTimeout = Duration.ofMinutes(10);

		/**
		 * Cap on connections across all tenant pools, counted as the sum of their
		 * maximum-pool-size; unset means max-live-pools times the pool size.
		 */
		private @Nullable Integer maxTotalConnections;

		/**
		 * Per-tenant settings by tenant id (url, username, password, pool settings), over
		 * the ones under app.datasource.tenants.
		 */
		private Map<String, Pool> overrides = new LinkedHashMap<>();

		/**
		 * Flyway migrations of each tenant database or schema.
		 */
		private TenantFlyway flyway = new TenantFlyway();

		public @Nullable TenantMode getMode() {
			return this.mode;
		}

		public void setMode(@Nullable TenantMode mode) {
			this.mode = mode;
		}

		public @Nullable String getUrlTemplate() {
			return this.urlTemplate;
		}

		public void setUrlTemplate(@Nullable String urlTemplate) {
			this.urlTemplate = urlTemplate;
		}

		public String getSchemaTemplate() {
			return this.schemaTemplate;
		}

		public void setSchemaTemplate(String schemaTemplate) {
			this.schemaTemplate = schemaTemplate;
		}

		public List<String> getKnown() {
			return this.known;
		}

		public void setKnown(List<String> known) {
			this.known = known;
		}

		public String getIdPattern() {
			return this.idPattern;
		}

		public void setIdPattern(String idPattern) {
			this.idPattern = idPattern;
		}

		public String getHeaderName() {
			return this.headerName;
		}

		public void setHeaderName(String headerName) {
			this.headerName = headerName;
		}

		public boolean isRequireTenant() {
			return this.requireTenant;
		}

		public void setRequireTenant(boolean requireTenant) {
			this.requireTenant = requireTenant;
		}

		public int getMaxLivePools() {
			return this.maxLivePools;
		}

		public void setMaxLivePools(int maxLivePools) {
			this.maxLivePools = maxLivePools;
		}

		public Duration getPoolIdleTimeout() {
			return this.poolIdleTimeout;
		}

		public void setPoolIdleTimeout(Duration poolIdleTimeout) {
			this.poolIdleTimeout = poolIdleTimeout;
		}

		public @Nullable Integer getMaxTotalConnections() {
			return this.maxTotalConnections;
		}

		public void setMaxTotalConnections(@Nullable Integer maxTotalConnections) {
			this.maxTotalConnections = maxTotalConnections;
		}

		public Map<String, Pool> getOverrides() {
			return this.overrides;
		}

		public void setOverrides(Map<String, Pool> overrides) {
			this.overrides = overrides;
		}

		public TenantFlyway getFlyway() {
			return this.flyway;
		}

		public void setFlyway(TenantFlyway flyway) {
			this.flyway = flyway;
		}

	}

	/**
	 * How tenants are isolated from each other.
	 */
	public enum TenantMode {

		/** Each tenant has a database of its own, and a pool of its own. */
		DATABASE,

		/** Each tenant has a schema of its own, on the primary's pool. */
		SCHEMA

	}

	/**
	 * Flyway migrations of tenants (used when Flyway is on the classpath).
	 */
	public static class TenantFlyway {

		/**
		 * Whether each tenant database or schema is migrated before its first connection
		 * is handed out.
		 */
		private boolean enabled = true;

		/**
		 * Locations of the tenant migrations; {vendor} is replaced by the tenant
		 * database's kind (postgresql, mariadb, ...).
		 */
		private List<String> locations = new ArrayList<>(List.of("classpath:db/tenant"));

		/**
		 * Whether every known tenant is migrated at startup instead of at first use.
		 */
		private boolean migrateOnStartup;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public List<String> getLocations() {
			return this.locations;
		}

		public void setLocations(List<String> locations) {
			this.locations = locations;
		}

		public boolean isMigrateOnStartup() {
			return this.migrateOnStartup;
		}

		public void setMigrateOnStartup(boolean migrateOnStartup) {
			this.migrateOnStartup = migrateOnStartup;
		}

	}

	/**
	 * The primary's circuit breaker (Resilience4j).
	 */
	public static class CircuitBreaker {

		/**
		 * Whether consecutive connection failures to the primary open a circuit breaker
		 * that fails acquisitions at once.
		 */
		private boolean enabled = true;

		/**
		 * Consecutive connection failures that open the breaker.
		 */
		private int failureThreshold = 5;

		/**
		 * How long the breaker stays open before a single probe decides whether to close
		 * it.
		 */
		private Duration openDuration = Duration.ofSeconds(30);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getFailureThreshold() {
			return this.failureThreshold;
		}

		public void setFailureThreshold(int failureThreshold) {
			this.failureThreshold = failureThreshold;
		}

		public Duration getOpenDuration() {
			return this.openDuration;
		}

		public void setOpenDuration(Duration openDuration) {
			this.openDuration = openDuration;
		}

	}

	/**
	 * Where the topology comes from.
	 */
	public enum TopologySourceType {

		/**
		 * The primary and replicas under app.datasource, fixed at startup.
		 */
		STATIC,

		/**
		 * A Patroni cluster's REST API: the leader is the primary, its replicas the
		 * replicas.
		 */
		PATRONI,

		/**
		 * A DNS name whose A/AAAA or SRV answer is the replica set; the primary stays as
		 * configured.
		 */
		DNS,

		/**
		 * The application's own dev.pool.TopologySource bean.
		 */
		CUSTOM

	}

	/**
	 * The kind of DNS record that lists the replicas.
	 */
	public enum DnsRecordType {

		/**
		 * A and AAAA records: each address is a replica, on dns.port.
		 */
		A,

		/**
		 * SRV records: each target and port is a replica.
		 */
		SRV

	}

	/**
	 * The topology: which nodes exist and which is the primary, read at runtime.
	 */
	public static class Topology {

		/**
		 * Where the nodes come from: static (the properties), patroni, dns or custom (a
		 * dev.pool.TopologySource bean).
		 */
		private TopologySourceType source = TopologySourceType.STATIC;

		/**
		 * How often the source is read; every 250ms while the primary is unreachable, and
		 * never more often than a DNS answer's TTL.
		 */
		private Duration refreshInterval = Duration.ofSeconds(5);

		/**
		 * A discovered node's JDBC URL, with {host} and {port} in place of the node's
		 * address; credentials and pool settings come from app.datasource.primary.
		 */
		private @Nullable String urlTemplate;

		/**
		 * The most replicas taken from one answer; beyond it the first ones by name, and
		 * a warning.
		 */
		private int maxReplicas = 16;

		/**
		 * How long one read of the source (one Patroni URL, one DNS query) may take.
		 */
		private Duration requestTimeout = Duration.ofSeconds(1);

		/**
		 * Patroni as the source.
		 */
		private Patroni patroni = new Patroni();

		/**
		 * DNS as the source.
		 */
		private Dns dns = new Dns();

		public TopologySourceType getSource() {
			return this.source;
		}

		public void setSource(TopologySourceType source) {
			this.source = source;
		}

		public Duration getRefreshInterval() {
			return this.refreshInterval;
		}

		public void setRefreshInterval(Duration refreshInterval) {
			this.refreshInterval = refreshInterval;
		}

		public @Nullable String getUrlTemplate() {
			return this.urlTemplate;
		}

		public void setUrlTemplate(@Nullable String urlTemplate) {
			this.urlTemplate = urlTemplate;
		}

		public int getMaxReplicas() {
			return this.maxReplicas;
		}

		public void setMaxReplicas(int maxReplicas) {
			this.maxReplicas = maxReplicas;
		}

		public Duration getRequestTimeout() {
			return this.requestTimeout;
		}

		public void setRequestTimeout(Duration requestTimeout) {
			this.requestTimeout = requestTimeout;
		}

		public Patroni getPatroni() {
			return this.patroni;
		}

		public void setPatroni(Patroni patroni) {
			this.patroni = patroni;
		}

		public Dns getDns() {
			return this.dns;
		}

		public void setDns(Dns dns) {
			this.dns = dns;
		}

	}

	/**
	 * A Patroni cluster as the topology source.
	 */
	public static class Patroni {

		/**
		 * The REST API of the cluster's members (any of them answers for the whole
		 * cluster); the first that answers is used.
		 */
		private List<URI> urls = new ArrayList<>();

		public List<URI> getUrls() {
			return this.urls;
		}

		public void setUrls(List<URI> urls) {
			this.urls = urls;
		}

	}

	/**
	 * A DNS name as the source of the replica set.
	 */
	public static class Dns {

		/**
		 * The name whose answer is the replica set, for example
		 * pg-replicas.db.svc.cluster.local (SRV: the full service name).
		 */
		private @Nullable String name;

		/**
		 * Which records list the replicas: a (A and AAAA) or srv.
		 */
		private DnsRecordType recordType = DnsRecordType.A;

		/**
		 * The replicas' port, for A and AAAA records.
		 */
		private int port = 5432;

		/**
		 * The DNS server to ask, as host or host:port; default: the system's resolvers.
		 */
		private @Nullable String resolver;

		public @Nullable String getName() {
			return this.name;
		}

		public void setName(@Nullable String name) {
			this.name = name;
		}

		public DnsRecordType getRecordType() {
			return this.recordType;
		}

		public void setRecordType(DnsRecordType recordType) {
			this.recordType = recordType;
		}

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			this.port = port;
		}

		public @Nullable String getResolver() {
			return this.resolver;
		}

		public void setResolver(@Nullable String resolver) {
			this.resolver = resolver;
		}

	}

	/**
	 * A connection budget shared by every instance of a service.
	 */
	public static class Fleet {

		/**
		 * This service's connections on one database server, all its instances together
		 * (each node has its own: the primary, each replica), or "role" for the login
		 * role's CONNECTION LIMIT; probes and the fleet's own sessions count.
		 */
		private @Nullable String maxConnections;

		/**
		 * Connections of the budget kept free on each server for probes, health checks,
		 * migrations and operators.
		 */
		private int reserve = 2;

		/**
		 * How often an instance counts its fleet on each node and settles its share.
		 */
		private Duration refreshInterval = Duration.ofSeconds(5);

		/**
		 * This instance's id in its connections' application_name; default: unique per
		 * application start.
		 */
		private @Nullable String instanceId;

		public @Nullable String getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(@Nullable String maxConnections) {
			this.maxConnections = maxConnections;
		}

		public int getReserve() {
			return this.reserve;
		}

		public void setReserve(int reserve) {
			this.reserve = reserve;
		}

		public Duration getRefreshInterval() {
			return this.refreshInterval;
		}

		public void setRefreshInterval(Duration refreshInterval) {
			this.refreshInterval = refreshInterval;
		}

		public @Nullable String getInstanceId() {
			return this.instanceId;
		}

		public void setInstanceId(@Nullable String instanceId) {
			this.instanceId = instanceId;
		}

	}

	/**
	 * Pool sizing.
	 */
	public static class Sizing {

		/**
		 * Whether each pool's live maximum follows its load between minimum-idle and
		 * maximum-pool-size (within the fleet share when a fleet budget is set): grown
		 * while threads wait, shrunk after idle-timeout of low use. Default: on when
		 * fleet.max-connections is set.
		 */
		private @Nullable Boolean adaptive;

		public @Nullable Boolean getAdaptive() {
			return this.adaptive;
		}

		public void setAdaptive(@Nullable Boolean adaptive) {
			this.adaptive = adaptive;
		}

	}

	/**
	 * Rotating logins.
	 */
	public static class Credentials {

		/**
		 * How often username-file and password-file are read again and a PoolCredentials
		 * bean is asked again (they are also read whenever a connection opens); at least
		 * 1s.
		 */
		private Duration refreshInterval = Duration.ofSeconds(10);

		public Duration getRefreshInterval() {
			return this.refreshInterval;
		}

		public void setRefreshInterval(Duration refreshInterval) {
			this.refreshInterval = refreshInterval;
		}

	}

}
