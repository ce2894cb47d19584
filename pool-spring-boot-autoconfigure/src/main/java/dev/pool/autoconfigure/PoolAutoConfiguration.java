package dev.pool.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.ReadOnly;
import dev.pool.ReadYourWrites;
import dev.pool.PoolCredentials;
import dev.pool.ReplicaConnectionDetails;
import dev.pool.TopologySource;
import dev.pool.internal.breaker.CircuitBreakerPrimaryGuard;
import dev.pool.internal.consistency.GtidCheck;
import dev.pool.internal.consistency.MariaDbConsistency;
import dev.pool.internal.consistency.MySqlConsistency;
import dev.pool.internal.consistency.PostgresConsistency;
import dev.pool.internal.consistency.ReadYourWritesOff;
import dev.pool.internal.consistency.TimeBasedConsistency;
import dev.pool.internal.credentials.CredentialRefresher;
import dev.pool.internal.datasource.DataSourcePools;
import dev.pool.internal.datasource.JdbcUrls;
import dev.pool.internal.datasource.PoolSettings;
import dev.pool.internal.datasource.PoolTrackers;
import dev.pool.internal.datasource.Waiters;
import dev.pool.internal.discovery.DnsTopologySource;
import dev.pool.internal.discovery.PatroniTopologySource;
import dev.pool.internal.discovery.TopologyRefresher;
import dev.pool.internal.observation.JdbcObservationPoolFilter;
import dev.pool.internal.probe.NodeProbes;
import dev.pool.internal.replica.ReplicaMonitor;
import dev.pool.internal.replica.ReplicaSet;
import dev.pool.internal.routing.ConnectionGate;
import dev.pool.internal.routing.Consistency;
import dev.pool.internal.routing.ObservedBorrows;
import dev.pool.internal.routing.ReadOnlyContext;
import dev.pool.internal.routing.ReadOnlyInterceptor;
import dev.pool.internal.routing.RoutingCounts;
import dev.pool.internal.routing.RoutingDataSource;
import dev.pool.internal.routing.Tenancy;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.internal.topology.PrimaryGuard;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.aop.Advisor;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.jdbc.autoconfigure.ApplicationDataSourceScriptDatabaseInitializer;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.sql.autoconfigure.init.ApplicationScriptDatabaseInitializer;
import org.springframework.boot.sql.autoconfigure.init.ConditionalOnSqlInitialization;
import org.springframework.boot.sql.autoconfigure.init.SqlInitializationProperties;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.jdbc.datasource.init.DatabasePopulator;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration of the primary and replica HikariCP pools and of the routing
 * {@link DataSource} the application injects; backs off when the application defines its
 * own {@link DataSource} (a JNDI or XA one from Boot included) or excludes Boot's
 * {@link DataSourceAutoConfiguration}, whose place it takes, and makes Boot's own
 * DataSource auto-configuration back off. In tests it also backs off when
 * {@code @AutoConfigureTestDatabase} replaces the DataSource (every mode but
 * {@code NONE}), so the test gets exactly the embedded database Boot would give it.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class,
		beforeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration",
		afterName = { "org.springframework.boot.jdbc.test.autoconfigure.TestDatabaseAutoConfiguration",
				"org.springframework.boot.jdbc.autoconfigure.JndiDataSourceAutoConfiguration",
				"org.springframework.boot.jdbc.autoconfigure.XADataSourceAutoConfiguration" })
@ConditionalOnClass({ DataSource.class, HikariDataSource.class })
@ConditionalOnMissingBean(DataSource.class)
@Conditional({ OnDataSourceNotExcludedCondition.class, PoolAutoConfiguration.OnTestDatabaseNotReplacedCondition.class })
@EnableConfigurationProperties({ PoolProperties.class, DataSourceProperties.class })
@Import(PoolBeanRegistrar.class)
public final class PoolAutoConfiguration {

	private static final Log logger = LogFactory.getLog(PoolAutoConfiguration.class);

	// What the WAL-position strategy uses of the PostgreSQL driver.
	private static final String POSTGRES_DRIVER_API = "org.postgresql.core.BaseConnection";

	/** Bean name of the pool registry. */
	static final String POOLS_BEAN_NAME = "poolDataSources";

	/** Bean name of the topology. */
	static final String TOPOLOGY_BEAN_NAME = "poolTopology";

	/**
	 * Order of the {@code @ReadOnly} advisor: just ahead of the transaction advisor
	 * (lowest precedence by default), so the scope wraps the transaction.
	 */
	static final int READ_ONLY_ADVISOR_ORDER = Ordered.LOWEST_PRECEDENCE - 1;

	/**
	 * Bean name of what the application starts with (settings, first topology answer,
	 * pools).
	 */
	static final String STARTUP_BEAN_NAME = "poolStartup";

	@Bean(name = STARTUP_BEAN_NAME)
	PoolStartup poolStartup(PoolProperties properties, DataSourceProperties dataSourceProperties,
			ObjectProvider<JdbcConnectionDetails> connectionDetails,
			ObjectProvider<ReplicaConnectionDetails> replicaConnectionDetails, Environment environment,
			ObjectProvider<PoolTrackers> poolTrackers, ObjectProvider<TopologySource> topologySource,
			ObjectProvider<PoolCredentials> poolCredentials, CredentialRefresher poolCredentialRefresher) {
		PoolSettingsFactory factory = new PoolSettingsFactory(properties, applicationName(environment),
				PoolSettingsFactory.fleetInstance(properties), poolCredentials.getIfUnique(), poolCredentialRefresher);
		return PoolStartup.start(properties, factory, dataSourceProperties, replicaDetails(replicaConnectionDetails),
				topologySource.getIfUnique(), poolTrackers.getIfAvailable(),
				() -> PrimaryConnectionResolver.resolve(properties, connectionDetails, dataSourceProperties));
	}

	/**
	 * Re-reads logins from files or a {@link PoolCredentials} bean and retires the
	 * connections of an old login; it has no thread until a pool's login may change.
	 */
	@Bean(destroyMethod = "close")
	CredentialRefresher poolCredentialRefresher(PoolProperties properties) {
		Duration interval = properties.getCredentials().getRefreshInterval();
		if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new InvalidPoolConfigurationException("app.datasource.credentials.refresh-interval", interval,
					"must be at least 1s",
					"Set it to 1s or more (default 10s); files are also read whenever a connection opens, so a "
							+ "rejected login tries the new file at once.");
		}
		return new CredentialRefresher(interval);
	}

	@Bean(name = POOLS_BEAN_NAME, destroyMethod = "close")
	DataSourcePools poolDataSources(PoolStartup poolStartup) {
		return poolStartup.pools();
	}

	// Every named replica across the beans; a name in two beans is ambiguous, so it
	// fails.
	private static Map<String, JdbcConnectionDetails> replicaDetails(ObjectProvider<ReplicaConnectionDetails> beans) {
		Map<String, JdbcConnectionDetails> replicas = new LinkedHashMap<>();
		beans.orderedStream().forEach((bean) -> bean.getReplicas().forEach((name, details) -> {
			JdbcConnectionDetails previous = replicas.putIfAbsent(name, details);
			if (previous != null) {
				throw new InvalidPoolConfigurationException("app.datasource.replicas." + name, null,
						"two ReplicaConnectionDetails beans name replica '" + name + "' ("
								+ previous.getClass().getSimpleName() + ", " + details.getClass().getSimpleName() + ")",
						"Give each replica one source of connection details, or rename one of them.");
			}
		}));
		return replicas;
	}

	@Bean
	Waiters poolWaiters() {
		return new Waiters();
	}

	/**
	 * The read model: the primary and replicas as they are now, one snapshot swapped
	 * whole at every change.
	 */
	@Bean(name = TOPOLOGY_BEAN_NAME)
	LiveTopology poolTopology(PoolStartup poolStartup, PoolProperties properties, Waiters poolWaiters,
			ObjectProvider<CircuitBreakerRegistry> circuitBreakerRegistry) {
		return poolStartup
			.topology(poolStartup.nodePools(guards(properties, poolWaiters, circuitBreakerRegistry.getIfUnique())));
	}

	// Each primary pool gets its own breaker: the one at startup, and each one a topology
	// source names later.
	// With a CircuitBreakerRegistry (Resilience4j's Spring Boot module, an application's
	// own, or the starter's when only Resilience4j's Micrometer module is present) each
	// breaker is also one of its entries.
	private static PoolStartup.GuardFactory guards(PoolProperties properties, Waiters waiters,
			@Nullable CircuitBreakerRegistry registry) {
		PoolProperties.CircuitBreaker breaker = properties.getCircuitBreaker();
		if (!breaker.isEnabled()) {
			return (primary) -> PrimaryGuard.NONE;
		}
		return (primary) -> new CircuitBreakerPrimaryGuard(primary, breaker.getFailureThreshold(),
				breaker.getOpenDuration(), waiters, registry);
	}

	@Bean
	ReplicaSet poolReplicas(LiveTopology poolTopology, Waiters poolWaiters) {
		ReplicaSet replicas = new ReplicaSet(poolTopology, poolWaiters);
		// A static multi-host primary URL: a replica on one of its hosts that is seen
		// promoted lets the breaker's probe through at once.
		if (!poolTopology.current().isDynamic()) {
			List<String> primaryHosts = JdbcUrls.hosts(poolTopology.current().primary().pool().settings().url());
			if (primaryHosts.size() > 1) {
				replicas.primaryUrlNames((replica) -> {
					List<String> hosts = JdbcUrls.hosts(replica.settings().url());
					return hosts.size() == 1 && primaryHosts.contains(hosts.get(0));
				});
			}
		}
		return replicas;
	}

	@Bean
	ConnectionGate poolConnectionGate() {
		return new ConnectionGate();
	}

	/**
	 * Read-your-writes: by WAL position on PostgreSQL, by GTID on MariaDB and on MySQL
	 * with GTIDs on (asked of the primary at startup), by time elsewhere, off without
	 * replicas (a topology source may bring some at any time). The one bean is both the
	 * public API and, when on, the router's strategy.
	 */
	@Bean
	@ConditionalOnMissingBean
	ReadYourWrites readYourWrites(LiveTopology poolTopology, PoolProperties properties, NodeProbes poolProbes) {
		PoolProperties.Consistency consistency = properties.getConsistency();
		boolean replicas = poolTopology.current().isDynamic() || !poolTopology.current().replicas().isEmpty();
		if (!replicas || Boolean.FALSE.equals(consistency.getReadYourWrites())) {
			return new ReadYourWritesOff();
		}
		PoolSettings primary = poolTopology.current().primary().pool().settings();
		if (primary.isPostgres() && ClassUtils.isPresent(POSTGRES_DRIVER_API, null)) {
			return new PostgresConsistency(poolTopology, consistency.getMaxWait(), consistency.getTokenTtl());
		}
		if (primary.isMariaDbOrMySql()) {
			GtidCheck gtids = GtidCheck.ask(poolProbes.probe(primary));
			if (gtids.byMariaDbGtid(primary)) {
				return new MariaDbConsistency(poolTopology, gtids.domain(), consistency.getMaxWait(),
						consistency.getTokenTtl());
			}
			if (gtids.byMySqlGtid()) {
				return new MySqlConsistency(poolTopology, gtids.serverUuid(), consistency.getMaxWait(),
						consistency.getTokenTtl());
			}
			logger.info("Read-your-writes goes by time (a writer reads from the primary for max-replica-lag): "
					+ gtids.whyByTime());
		}
		return new TimeBasedConsistency(properties.getRouting().getMaxReplicaLag(), consistency.getTokenTtl());
	}

	@Bean
	@Primary
	RoutingDataSource dataSource(LiveTopology poolTopology, PoolStartup poolStartup, ReplicaSet poolReplicas,
			PoolProperties properties, ReadOnlyContext poolReadOnlyContext,
			ObjectProvider<RoutingCounts> poolRoutingCounts, Waiters poolWaiters, ConnectionGate poolConnectionGate,
			ReadYourWrites readYourWrites, ObjectProvider<Tenancy> poolTenancy,
			ObjectProvider<ObservedBorrows> poolObservedBorrows) {
		PoolSettings primary = poolTopology.current().primary().pool().settings();
		return RoutingDataSource.builder(poolTopology)
			.replicas(poolReplicas)
			.loadBalancing(properties.getRouting().getLoadBalancing())
			.fallbackToPrimary(properties.getRouting().isFallbackToPrimary())
			.fallbackMaxConnections(poolStartup.factory().fallbackMaxConnections(primary))
			.context(poolReadOnlyContext)
			.counts(poolRoutingCounts.getIfAvailable())
			.waiters(poolWaiters)
			.gate(poolConnectionGate)
			.consistency((readYourWrites instanceof Consistency strategy) ? strategy : Consistency.NONE)
			.tenancy(poolTenancy.getIfAvailable(() -> Tenancy.NONE))
			.observations(poolObservedBorrows.getIfAvailable())
			.defaultAutoCommit(primary.autoCommit())
			.defaultIsolation(PoolSettingsFactory.isolationLevel(primary))
			.build();
	}

	/** The threads every check of a node runs on, stopped with the context. */
	@Bean
	NodeProbes poolProbes() {
		return new NodeProbes();
	}

	@Bean
	ReplicaMonitor poolReplicaMonitor(LiveTopology poolTopology, ReplicaSet poolReplicas, PoolProperties properties,
			NodeProbes poolProbes) {
		return new ReplicaMonitor(poolTopology, poolReplicas, properties.getRouting().getHealthCheckInterval(),
				properties.getRouting().getMaxReplicaLag(), poolProbes);
	}

	/** Follows the topology source, when there is one. */
	@Bean
	@Conditional(OnTopologySourceCondition.class)
	TopologyRefresher poolTopologyRefresher(LiveTopology poolTopology, PoolStartup poolStartup,
			PoolProperties properties, ReplicaSet poolReplicas, Waiters poolWaiters,
			ObjectProvider<CircuitBreakerRegistry> circuitBreakerRegistry, NodeProbes poolProbes) {
		TopologySource source = poolStartup.source();
		Assert.state(source != null, "No topology source");
		PoolProperties.Topology topology = properties.getTopology();
		return new TopologyRefresher(poolTopology, source,
				poolStartup.nodePools(guards(properties, poolWaiters, circuitBreakerRegistry.getIfUnique())),
				poolReplicas, poolWaiters, poolStartup.pools(), topology.getRefreshInterval(),
				topology.getMaxReplicas(), properties.getDrain().getTimeout(), poolProbes);
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static ReadOnlyContext poolReadOnlyContext() {
		return new ReadOnlyContext();
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static Advisor poolReadOnlyAdvisor(ReadOnlyContext poolReadOnlyContext) {
		ComposablePointcut pointcut = new ComposablePointcut(new AnnotationMatchingPointcut(ReadOnly.class, true))
			.union(new AnnotationMatchingPointcut(null, ReadOnly.class, true));
		DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(pointcut,
				new ReadOnlyInterceptor(poolReadOnlyContext));
		advisor.setOrder(READ_ONLY_ADVISOR_ORDER);
		return advisor;
	}

	/** Patroni's REST API as the topology source (Jackson on the class path). */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "app.datasource.topology.source", havingValue = "patroni")
	static class PatroniSourceConfiguration {

		@Bean
		@ConditionalOnMissingBean(TopologySource.class)
		@ConditionalOnClass(name = "tools.jackson.databind.json.JsonMapper")
		PatroniTopologySource poolPatroniTopologySource(PoolProperties properties) {
			PoolProperties.Topology topology = properties.getTopology();
			return new PatroniTopologySource(topology.getPatroni().getUrls(), topology.getRequestTimeout());
		}

	}

	/** A DNS name as the source of the replicas (dnsjava on the class path). */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "app.datasource.topology.source", havingValue = "dns")
	static class DnsSourceConfiguration {

		@Bean
		@ConditionalOnMissingBean(TopologySource.class)
		@ConditionalOnClass(name = "org.xbill.DNS.Lookup")
		DnsTopologySource poolDnsTopologySource(PoolProperties properties) {
			// Checked at startup, with every other topology setting, before any read.
			PoolProperties.Topology topology = properties.getTopology();
			PoolProperties.Dns dns = topology.getDns();
			String name = (dns.getName() != null) ? dns.getName() : "";
			return new DnsTopologySource(name, dns.getRecordType() == PoolProperties.DnsRecordType.SRV, dns.getPort(),
					dns.getResolver(), topology.getRequestTimeout());
		}

	}

	/**
	 * {@code spring.application.name}, or {@code app}: the prefix of every connection's
	 * PostgreSQL {@code application_name}.
	 */
	static String applicationName(Environment environment) {
		String name = environment.getProperty("spring.application.name");
		return (name != null && !name.isBlank()) ? name : "app";
	}

	/**
	 * Boot's SQL scripts ({@code spring.sql.init.*}) run on the primary pool itself,
	 * never through the router: a script can never reach a replica, and a script user and
	 * password derive a connection from the primary's URL, which the router does not
	 * expose.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(DatabasePopulator.class)
	@ConditionalOnSqlInitialization
	@EnableConfigurationProperties(SqlInitializationProperties.class)
	@Import(DatabaseInitializationDependencyConfigurer.class)
	static class PoolSqlInitializationConfiguration {

		@Bean
		@ConditionalOnMissingBean(ApplicationScriptDatabaseInitializer.class)
		ApplicationDataSourceScriptDatabaseInitializer dataSourceScriptDatabaseInitializer(DataSourcePools pools,
				SqlInitializationProperties properties, LiveTopology poolTopology) {
			// Taken (poolTopology) only to come after it: with a fleet budget, the
			// topology's pools settle their share before the scripts borrow.
			DataSource primary = pools.initialPrimary().dataSource();
			if (StringUtils.hasText(properties.getUsername()) && StringUtils.hasText(properties.getPassword())) {
				PoolSettings settings = pools.initialPrimary().settings();
				primary = DataSourceBuilder.create()
					.type(SimpleDriverDataSource.class)
					.url(settings.url())
					.driverClassName(settings.driverClassName())
					.username(properties.getUsername())
					.password(properties.getPassword())
					.build();
			}
			return new ApplicationDataSourceScriptDatabaseInitializer(primary, properties);
		}

	}

	/**
	 * Per-borrow bookkeeping (HikariCP's metrics tracker, routing counts), only when
	 * Micrometer or Actuator can read it: without them a borrow costs no clock read and
	 * no counter.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(OnPoolInstrumentationCondition.class)
	static class PoolInstrumentationConfiguration {

		@Bean
		PoolTrackers poolTrackers() {
			return new PoolTrackers();
		}

		@Bean
		RoutingCounts poolRoutingCounts() {
			return new RoutingCounts();
		}

	}

	/**
	 * A Micrometer observation around each routed borrow, with a registry that observes
	 * something, when {@code app.datasource.observations.enabled} is true or, unset, with
	 * Micrometer Tracing present: otherwise the router holds no observer and a borrow
	 * pays nothing for it.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.observation.ObservationRegistry")
	@Conditional(OnBorrowObservationCondition.class)
	static class PoolObservationConfiguration {

		@Bean
		ObservedBorrows poolObservedBorrows(ObjectProvider<ObservationRegistry> observationRegistry) {
			return new ObservedBorrows(observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP));
		}

	}

	/**
	 * datasource-micrometer's query spans name the pool that served them, whether or not
	 * the borrows themselves are observed: it runs when their observation stops, never on
	 * a borrow.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "io.micrometer.observation.ObservationFilter",
			"net.ttddyy.observation.tracing.DataSourceBaseContext" })
	static class PoolJdbcObservationConfiguration {

		@Bean
		JdbcObservationPoolFilter poolJdbcObservationFilter(LiveTopology poolTopology) {
			return new JdbcObservationPoolFilter(poolTopology);
		}

	}

	/**
	 * Outside tests, or with {@code @AutoConfigureTestDatabase(replace = NONE)}: Boot's
	 * test database replacement would swap the router for an embedded database whatever
	 * it routes to (it keeps only DataSources it configured itself), while the pools
	 * would still connect to the configured database.
	 */
	static final class OnTestDatabaseNotReplacedCondition extends AnyNestedCondition {

		OnTestDatabaseNotReplacedCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnMissingBean(
				type = "org.springframework.boot.jdbc.test.autoconfigure.TestDatabaseAutoConfiguration")
		static final class NoTestDatabase {

		}

		@ConditionalOnProperty(name = "spring.test.database.replace", havingValue = "NONE")
		static final class TestDatabaseNotReplaced {

		}

	}

	/** A topology source other than the static one is configured. */
	static final class OnTopologySourceCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			String source = context.getEnvironment().getProperty("app.datasource.topology.source", "static");
			ConditionMessage.Builder message = ConditionMessage.forCondition("Topology source");
			return "static".equalsIgnoreCase(source.trim()) ? ConditionOutcome.noMatch(message.because("static"))
					: ConditionOutcome.match(message.because(source));
		}

	}

	static final class OnPoolInstrumentationCondition extends AnyNestedCondition {

		OnPoolInstrumentationCondition() {
			super(ConfigurationPhase.PARSE_CONFIGURATION);
		}

		@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
		static final class OnMicrometer {

		}

		@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
		static final class OnActuator {

		}

	}

}
