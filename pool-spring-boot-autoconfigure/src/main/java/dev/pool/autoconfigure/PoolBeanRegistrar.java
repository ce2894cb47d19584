package dev.pool.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.internal.datasource.DataSourcePools;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * Registers each pool as a bean of its own ({@code primaryDataSource},
 * {@code <replica>DataSource}, {@code <extra>DataSource}) that is not a default
 * candidate, so Boot's health and meters see every pool while injection of
 * {@link DataSource} gets the router; the primary pool is Flyway's migration target
 * unless the application declares its own.
 */
final class PoolBeanRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

	// The migration tools' qualifiers: each picks the primary pool unless the application
	// declares its own.
	private static final List<String> MIGRATION_QUALIFIERS = List.of(
			"org.springframework.boot.flyway.autoconfigure.FlywayDataSource",
			"org.springframework.boot.liquibase.autoconfigure.LiquibaseDataSource");

	private @Nullable Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		Assert.state(this.environment != null, "Not initialized");
		AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
		String source = topologySource(this.environment);
		// A source that may name another primary at runtime gets a primaryDataSource that
		// follows it; discovered replicas have no bean (their names are not known yet).
		boolean followsPrimary = "patroni".equals(source) || "custom".equals(source);
		List<String> names = new ArrayList<>();
		names.add(DataSourcePools.PRIMARY);
		if ("static".equals(source)) {
			names.addAll(configuredReplicaNames(this.environment));
		}
		Set<String> extras = configuredExtraNames(this.environment);
		names.addAll(extras);
		List<String> qualifiers = MIGRATION_QUALIFIERS.stream()
			.filter((qualifier) -> ClassUtils.isPresent(qualifier, getClass().getClassLoader()))
			.filter((qualifier) -> !isDeclaredByApplication(registry, qualifier))
			.toList();
		for (String name : names) {
			String beanName = poolBeanName(name);
			if (registry.containsBeanDefinition(beanName)) {
				continue;
			}
			// A factory method, not an instance supplier, so ahead-of-time processing can
			// write the definition as code.
			RootBeanDefinition definition = new RootBeanDefinition();
			if (followsPrimary && DataSourcePools.PRIMARY.equals(name)) {
				definition.setTargetType(DataSource.class);
				definition.setFactoryBeanName(PoolAutoConfiguration.TOPOLOGY_BEAN_NAME);
				definition.setFactoryMethodName("primaryDataSource");
			}
			else {
				definition.setTargetType(HikariDataSource.class);
				definition.setFactoryBeanName(PoolAutoConfiguration.POOLS_BEAN_NAME);
				definition.setFactoryMethodName("dataSource");
				definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
			}
			definition.setDefaultCandidate(false);
			// The pools bean closes the pools, after everything that uses them.
			definition.setDestroyMethodName("");
			if (DataSourcePools.PRIMARY.equals(name)) {
				qualifiers.forEach((qualifier) -> definition.addQualifier(new AutowireCandidateQualifier(qualifier)));
			}
			registry.registerBeanDefinition(beanName, definition);
		}
	}

	/**
	 * The replica keys, read from the environment: before the properties bean exists
	 * (bean registration, the early advisor) they come straight from there.
	 */
	static Set<String> configuredReplicaNames(Environment environment) {
		return Binder.get(environment)
			.bind("app.datasource.replicas", Bindable.mapOf(String.class, PoolProperties.Pool.class))
			.map(Map::keySet)
			.orElse(Set.of());
	}

	/**
	 * The topology source's name ({@code static}, {@code patroni}, {@code dns},
	 * {@code custom}), read from the environment: bean definitions depend on it.
	 */
	static String topologySource(Environment environment) {
		String source = environment.getProperty("app.datasource.topology.source", "static");
		return source.trim().toLowerCase(Locale.ROOT);
	}

	/**
	 * The extra datasources' names, read from the environment like the replicas'.
	 */
	static Set<String> configuredExtraNames(Environment environment) {
		return Binder.get(environment)
			.bind("app.datasource.extra", Bindable.mapOf(String.class, PoolProperties.Pool.class))
			.map(Map::keySet)
			.orElse(Set.of());
	}

	/**
	 * The bean name of a pool: {@code primaryDataSource}, {@code replica-1DataSource}.
	 */
	static String poolBeanName(String pool) {
		return pool + "DataSource";
	}

	private static boolean isDeclaredByApplication(BeanDefinitionRegistry registry, String qualifier) {
		for (String name : registry.getBeanDefinitionNames()) {
			BeanDefinition definition = registry.getBeanDefinition(name);
			if (definition instanceof AnnotatedBeanDefinition annotated && annotated.getFactoryMethodMetadata() != null
					&& annotated.getFactoryMethodMetadata().isAnnotated(qualifier)) {
				return true;
			}
			if (definition instanceof AbstractBeanDefinition abstractDefinition
					&& abstractDefinition.hasQualifier(qualifier)) {
				return true;
			}
		}
		return false;
	}

}
