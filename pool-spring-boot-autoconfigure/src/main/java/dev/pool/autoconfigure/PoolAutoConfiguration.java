package dev.pool.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import dev.pool.ReadOnly;
import dev.pool.datasource.DataSourcePools;
import dev.pool.datasource.InvalidPoolConfigurationException;
import dev.pool.datasource.NodeProbe;
import dev.pool.datasource.PoolMetricsTrackerFactory;
import dev.pool.datasource.PoolRole;
import dev.pool.datasource.PoolSettings;
import dev.pool.datasource.PrimaryConnection;
import dev.pool.routing.CircuitBreakerPrimaryGuard;
import dev.pool.routing.PrimaryGuard;
import dev.pool.routing.ReadOnlyContext;
import dev.pool.routing.ReadOnlyInterceptor;
import dev.pool.routing.ReplicaMonitor;
import dev.pool.routing.RoutedPool;
import dev.pool.routing.RoutingDataSource;
import dev.pool.routing.RoutingCounts;
import dev.pool.routing.RoutingObserver;

import org.springframework.aop.Advisor;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration of the primary and replica HikariCP pools and of the routing
 * {@link DataSource} the application injects; backs off when the application defines its own
 * {@link DataSource}, and makes Boot's own DataSource auto-configuration back off.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@ConditionalOnClass({ DataSource.class, HikariDataSource.class })
@ConditionalOnMissingBean(DataSource.class)
@EnableConfigurationProperties({ PoolProperties.class, DataSourceProperties.class })
@Import(PoolAutoConfiguration.PoolBeanRegistrar.class)
public final class PoolAutoConfiguration {

	/** Bean name of the pool registry. */
	public static final String POOLS_BEAN_NAME = "poolDataSources";

	/**
	 * Order of the {@code @ReadOnly} advisor: just ahead of the transaction advisor (lowest
	 * precedence by default), so the scope wraps the transaction.
	 */
	public static final int READ_ONLY_ADVISOR_ORDER = Ordered.LOWEST_PRECEDENCE - 1;

	@Bean(name = POOLS_BEAN_NAME, destroyMethod = "close")
	DataSourcePools poolDataSources(PoolProperties properties, DataSourceProperties dataSourceProperties,
			ObjectProvider<JdbcConnectionDetails> connectionDetails, Environment environment,
			ObjectProvider<PoolMetricsTrackerFactory> poolMetricsTrackerFactory) {
		PrimaryConnection primary = resolvePrimary(properties, connectionDetails, dataSourceProperties);
		PoolSettingsFactory factory = new PoolSettingsFactory(properties,
				environment.getProperty("spring.application.name"));
		factory.validateFeatures();
		PoolSettings primarySettings = factory.primary(primary);
		List<PoolSettings> replicas = factory.replicas(primarySettings);
		return DataSourcePools.start(primarySettings, replicas, primary.source(),
				poolMetricsTrackerFactory.getIfAvailable());
	}

	@Bean
	@Primary
	RoutingDataSource dataSource(DataSourcePools pools, PoolProperties properties, ReadOnlyContext poolReadOnlyContext,
			ObjectProvider<RoutingCounts> poolRoutingCounts, PrimaryGuard poolPrimaryGuard) {
		List<RoutedPool> routed = new ArrayList<>();
		int index = 0;
		for (Map.Entry<String, HikariDataSource> pool : pools.pools().entrySet()) {
			PoolRole role = pools.settings().get(pool.getKey()).role();
			routed.add(new RoutedPool(pool.getKey(), role, pool.getValue(), index++));
		}
		PoolSettings primary = pools.settings().get(DataSourcePools.PRIMARY);
		return RoutingDataSource.builder(routed.get(0))
			.replicas(routed.subList(1, routed.size()))
			.loadBalancing(properties.getRouting().getLoadBalancing())
			.fallbackToPrimary(properties.getRouting().isFallbackToPrimary())
			.context(poolReadOnlyContext)
			.observer(observer(poolRoutingCounts.getIfAvailable()))
			.primaryGuard(poolPrimaryGuard)
			.defaultAutoCommit(primary.autoCommit())
			.defaultIsolation(PoolSettingsFactory.isolationLevel(primary))
			.build();
	}

	private static RoutingObserver observer(RoutingCounts counts) {
		return (counts != null) ? counts : RoutingObserver.NONE;
	}

	/**
	 * Per-borrow bookkeeping (HikariCP's metrics tracker, routing counts), only when Micrometer
	 * or Actuator can read it: without them a borrow costs no clock read and no counter.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(OnPoolInstrumentationCondition.class)
	static class PoolInstrumentationConfiguration {

		@Bean
		PoolMetricsTrackerFactory poolMetricsTrackerFactory() {
			return new PoolMetricsTrackerFactory();
		}

		@Bean
		RoutingCounts poolRoutingCounts(DataSourcePools pools) {
			return new RoutingCounts(List.copyOf(pools.pools().keySet()));
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

	@Bean
	@ConditionalOnMissingBean
	PrimaryGuard poolPrimaryGuard(PoolProperties properties) {
		PoolProperties.CircuitBreaker breaker = properties.getCircuitBreaker();
		if (!breaker.isEnabled()) {
			return PrimaryGuard.NONE;
		}
		return new CircuitBreakerPrimaryGuard(DataSourcePools.PRIMARY, breaker.getFailureThreshold(),
				breaker.getOpenDuration());
	}

	@Bean
	ReplicaMonitor poolReplicaMonitor(RoutingDataSource dataSource, DataSourcePools pools,
			PoolProperties properties) {
		Map<String, NodeProbe> probes = new LinkedHashMap<>();
		for (String replica : pools.replicaNames()) {
			probes.put(replica, new NodeProbe(pools.settings().get(replica)));
		}
		return new ReplicaMonitor(dataSource, probes, properties.getRouting().getHealthCheckInterval(),
				properties.getRouting().getMaxReplicaLag());
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static ReadOnlyContext poolReadOnlyContext() {
		return new ReadOnlyContext();
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static Advisor poolReadOnlyAdvisor(ReadOnlyContext poolReadOnlyContext, Environment environment) {
		int replicas = configuredReplicaNames(environment).size();
		ComposablePointcut pointcut = new ComposablePointcut(new AnnotationMatchingPointcut(ReadOnly.class, true))
			.union(new AnnotationMatchingPointcut(null, ReadOnly.class, true));
		DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(pointcut,
				new ReadOnlyInterceptor(poolReadOnlyContext, replicas));
		advisor.setOrder(READ_ONLY_ADVISOR_ORDER);
		return advisor;
	}

	private static PrimaryConnection resolvePrimary(PoolProperties properties,
			ObjectProvider<JdbcConnectionDetails> connectionDetails, DataSourceProperties dataSourceProperties) {
		PoolProperties.Pool primary = properties.getPrimary();
		if (StringUtils.hasText(primary.getUrl())) {
			return new PrimaryConnection(primary.getUrl(), primary.getUsername(), primary.getPassword(),
					primary.getDriverClassName(), "app.datasource.primary");
		}
		JdbcConnectionDetails details = connectionDetails.getIfUnique();
		if (details != null && StringUtils.hasText(details.getJdbcUrl())) {
			return new PrimaryConnection(details.getJdbcUrl(), details.getUsername(), details.getPassword(),
					details.getDriverClassName(), "JdbcConnectionDetails bean (" + details.getClass().getSimpleName() + ")");
		}
		if (StringUtils.hasText(dataSourceProperties.getUrl())) {
			return new PrimaryConnection(dataSourceProperties.getUrl(),
					firstNonNull(primary.getUsername(), dataSourceProperties.getUsername()),
					firstNonNull(primary.getPassword(), dataSourceProperties.getPassword()),
					firstNonNull(primary.getDriverClassName(), dataSourceProperties.getDriverClassName()),
					"spring.datasource");
		}
		throw new InvalidPoolConfigurationException("app.datasource.primary.url", null,
				"no primary database is configured",
				"Set app.datasource.primary.url (with username and password), or spring.datasource.url, "
						+ "or provide a JdbcConnectionDetails bean (for example through @ServiceConnection).");
	}

	// Before the properties bean exists (bean registration, the early advisor) the replica keys come
	// straight from the environment.
	private static Set<String> configuredReplicaNames(Environment environment) {
		return Binder.get(environment)
			.bind("app.datasource.replicas", Bindable.mapOf(String.class, PoolProperties.Pool.class))
			.map(Map::keySet)
			.orElse(Set.of());
	}

	private static String firstNonNull(String preferred, String fallback) {
		return (preferred != null) ? preferred : fallback;
	}

	/**
	 * Registers each pool as a bean of its own ({@code primaryDataSource},
	 * {@code <replica>DataSource}) that is not a default candidate, so Boot's health and meters
	 * see every pool while injection of {@link DataSource} gets the router; the primary pool is
	 * Flyway's migration target.
	 */
	static class PoolBeanRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

		private static final String FLYWAY_DATA_SOURCE = "org.springframework.boot.flyway.autoconfigure.FlywayDataSource";

		private Environment environment;

		private BeanFactory beanFactory;

		@Override
		public void setEnvironment(Environment environment) {
			this.environment = environment;
		}

		@Override
		public void setBeanFactory(BeanFactory beanFactory) {
			this.beanFactory = beanFactory;
		}

		@Override
		public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
			AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
			List<String> names = new ArrayList<>();
			names.add(DataSourcePools.PRIMARY);
			names.addAll(configuredReplicaNames(this.environment));
			boolean flywayQualifier = isFlywayPresent() && !hasUserFlywayDataSource(registry);
			for (String name : names) {
				String beanName = poolBeanName(name);
				if (registry.containsBeanDefinition(beanName)) {
					continue;
				}
				RootBeanDefinition definition = new RootBeanDefinition(HikariDataSource.class);
				definition.setInstanceSupplier(() -> this.beanFactory.getBean(DataSourcePools.class).pool(name));
				definition.setDefaultCandidate(false);
				definition.setDependsOn(POOLS_BEAN_NAME);
				// The registry closes the pools, after everything that uses them.
				definition.setDestroyMethodName("");
				if (flywayQualifier && DataSourcePools.PRIMARY.equals(name)) {
					definition.addQualifier(new org.springframework.beans.factory.support.AutowireCandidateQualifier(
							FLYWAY_DATA_SOURCE));
				}
				registry.registerBeanDefinition(beanName, definition);
			}
		}

		private boolean isFlywayPresent() {
			return org.springframework.util.ClassUtils.isPresent(FLYWAY_DATA_SOURCE, getClass().getClassLoader());
		}

		private boolean hasUserFlywayDataSource(BeanDefinitionRegistry registry) {
			for (String name : registry.getBeanDefinitionNames()) {
				BeanDefinition definition = registry.getBeanDefinition(name);
				if (definition instanceof org.springframework.beans.factory.annotation.AnnotatedBeanDefinition annotated
						&& annotated.getFactoryMethodMetadata() != null
						&& annotated.getFactoryMethodMetadata().isAnnotated(FLYWAY_DATA_SOURCE)) {
					return true;
				}
				if (definition instanceof org.springframework.beans.factory.support.AbstractBeanDefinition abstractDefinition
						&& abstractDefinition.hasQualifier(FLYWAY_DATA_SOURCE)) {
					return true;
				}
			}
			return false;
		}

		/** The bean name of a pool: {@code primaryDataSource}, {@code replica-1DataSource}. */
		static String poolBeanName(String pool) {
			return pool + "DataSource";
		}

	}

}
