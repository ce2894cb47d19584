package dev.pool.autoconfigure;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.internal.datasource.DataSourcePools;
import dev.pool.internal.drain.PoolDrain;
import dev.pool.internal.endpoint.PoolsEndpoint;
import dev.pool.internal.health.PoolHealthIndicator;
import dev.pool.internal.metrics.PoolMeterBinder;
import dev.pool.internal.routing.RoutingDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exclusions as applications write them, through Boot's own auto-configuration import
 * (not a context runner, which registers auto-configurations directly): excluding Boot's
 * DataSource auto-configuration turns the starter's DataSource off with everything that
 * hangs on it; excluding the starter's own gives Boot's DataSource back.
 */
class ExclusionTests {

	private static final String DB = "exclusions";

	@Test
	void excludingDataSourceAutoConfigurationByClassTurnsTheStarterOff() {
		try (ConfigurableApplicationContext context = run(ExcludedByClass.class)) {
			assertNothingOfTheStarter(context);
			assertThat(context.getBeanNamesForType(DataSource.class)).isEmpty();
		}
	}

	@Test
	void excludingItByNameTurnsTheStarterOff() {
		try (ConfigurableApplicationContext context = run(ExcludedByName.class)) {
			assertNothingOfTheStarter(context);
			assertThat(context.getBeanNamesForType(DataSource.class)).isEmpty();
		}
	}

	@Test
	void excludingItWithTheSpringAutoconfigureExcludePropertyTurnsTheStarterOff() {
		try (ConfigurableApplicationContext context = run(Everything.class,
				"spring.autoconfigure.exclude=" + DataSourceAutoConfiguration.class.getName())) {
			assertNothingOfTheStarter(context);
			assertThat(context.getBeanNamesForType(DataSource.class)).isEmpty();
		}
	}

	@Test
	void excludingItFromAnImportedSliceTurnsTheStarterOff() {
		try (ConfigurableApplicationContext context = run(SliceWithExclusion.class)) {
			assertNothingOfTheStarter(context);
			assertThat(context.getBeanNamesForType(DataSource.class)).isEmpty();
		}
	}

	@Test
	void withoutExclusionsTheStarterIsOn() {
		try (ConfigurableApplicationContext context = run(Everything.class)) {
			assertThat(context.getBean(DataSource.class)).isInstanceOf(RoutingDataSource.class);
			assertThat(context.getBeanNamesForType(PoolHealthIndicator.class)).hasSize(1);
			assertThat(context.getBeanNamesForType(PoolsEndpoint.class)).hasSize(1);
			assertThat(context.getBeanNamesForType(PoolDrain.class)).hasSize(1);
			assertThat(context.getBeanNamesForType(PoolMeterBinder.class)).hasSize(1);
		}
	}

	@Test
	void excludingTheStartersOwnAutoConfigurationGivesBootsDataSourceBack() {
		try (ConfigurableApplicationContext context = run(Everything.class,
				"spring.autoconfigure.exclude=" + PoolAutoConfiguration.class.getName(),
				"spring.datasource.url=" + TestCluster.cluster(DB).primary().jdbcUrl(DB),
				"spring.datasource.username=" + TestCluster.cluster(DB).username(),
				"spring.datasource.password=" + TestCluster.cluster(DB).password())) {
			assertNothingOfTheStarter(context);
			assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
		}
	}

	private static void assertNothingOfTheStarter(ConfigurableApplicationContext context) {
		assertThat(context.getBeanNamesForType(RoutingDataSource.class)).isEmpty();
		assertThat(context.getBeanNamesForType(DataSourcePools.class)).isEmpty();
		assertThat(context.getBeanNamesForType(PoolHealthIndicator.class)).isEmpty();
		assertThat(context.getBeanNamesForType(PoolsEndpoint.class)).isEmpty();
		assertThat(context.getBeanNamesForType(PoolDrain.class)).isEmpty();
		assertThat(context.getBeanNamesForType(PoolMeterBinder.class)).isEmpty();
		assertThat(context.containsBean("primaryDataSource")).isFalse();
	}

	private static ConfigurableApplicationContext run(Class<?> configuration, String... properties) {
		// JPA, Spring Data JDBC, Flyway and Liquibase are on this module's test class
		// path
		// and connect at startup when there is a DataSource: give them a real one.
		return new SpringApplicationBuilder(configuration).web(WebApplicationType.NONE)
			.properties(TestCluster.properties(DB))
			.properties("spring.flyway.enabled=false", "spring.liquibase.enabled=false", "spring.jmx.enabled=true",
					"management.endpoints.jmx.exposure.include=pools")
			.properties(properties)
			.run();
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Everything {

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(exclude = DataSourceAutoConfiguration.class)
	static class ExcludedByClass {

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
	static class ExcludedByName {

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@ImportAutoConfiguration(classes = { PoolAutoConfiguration.class, DataSourceAutoConfiguration.class },
			exclude = DataSourceAutoConfiguration.class)
	static class SliceWithExclusion {

	}

}
