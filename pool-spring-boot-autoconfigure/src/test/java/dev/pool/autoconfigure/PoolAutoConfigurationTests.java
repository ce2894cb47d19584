package dev.pool.autoconfigure;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Hashtable;

import javax.naming.Context;
import javax.naming.OperationNotSupportedException;
import javax.naming.spi.InitialContextFactory;
import javax.sql.DataSource;
import javax.sql.XADataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.internal.breaker.CircuitBreakerPrimaryGuard;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.internal.topology.PrimaryGuard;
import dev.pool.internal.datasource.DataSourcePools;
import dev.pool.internal.observation.JdbcObservationPoolFilter;
import dev.pool.internal.replica.ReplicaSet;
import dev.pool.internal.routing.ObservedBorrows;
import dev.pool.internal.routing.RoutingDataSource;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.XADataSourceWrapper;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JndiDataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.XADataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.AbstractDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PoolAutoConfiguration}'s conditions and back-off.
 */
class PoolAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PoolAutoConfiguration.class, DataSourceAutoConfiguration.class))
		.withPropertyValues(TestCluster.OFFLINE);

	@Test
	void theRouterIsTheOnlyDefaultCandidateAndEveryPoolIsABeanOfItsOwn() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(RoutingDataSource.class);
			assertThat(context.getBean(DataSource.class)).isInstanceOf(RoutingDataSource.class);
			assertThat(context.getBeansOfType(HikariDataSource.class)).containsOnlyKeys("primaryDataSource",
					"replica-1DataSource");
			assertThat(context.getBean(ReplicaSet.class).states()).hasSize(1);
		});
	}

	@Test
	void borrowsAreObservedWhenAskedOrTracedAndOnlyWithARegistryThatObservesSomething() {
		// Without Micrometer Tracing, Actuator's registry alone observes no borrow; with
		// it (datasource-micrometer brings it to this class path), borrows are observed.
		this.runner.withBean(ObservationRegistry.class, PoolAutoConfigurationTests::observing)
			.withClassLoader(new FilteredClassLoader("io.micrometer.tracing"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ObservedBorrows.class));
		this.runner.withBean(ObservationRegistry.class, PoolAutoConfigurationTests::observing)
			.run((context) -> assertThat(context.getBean(ObservedBorrows.class).observes()).isTrue());
		// Borrows unobserved: datasource-micrometer's query spans still name their pool.
		this.runner.withPropertyValues("app.datasource.observations.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ObservedBorrows.class)
				.hasSingleBean(JdbcObservationPoolFilter.class));
		ApplicationContextRunner enabled = this.runner.withPropertyValues("app.datasource.observations.enabled=true");
		enabled.run((context) -> assertThat(context.getBean(ObservedBorrows.class).observes()).isFalse());
		enabled.withBean(ObservationRegistry.class, PoolAutoConfigurationTests::observing)
			.run((context) -> assertThat(context.getBean(ObservedBorrows.class).observes()).isTrue());
		enabled.withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(RoutingDataSource.class)
				.doesNotHaveBean(ObservedBorrows.class));
	}

	private static ObservationRegistry observing() {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler((observation) -> true);
		return registry;
	}

	@Test
	void anApplicationDataSourceTurnsTheStarterOff() {
		this.runner.withUserConfiguration(UserDataSource.class).run((context) -> {
			assertThat(context).hasSingleBean(DataSource.class)
				.doesNotHaveBean(DataSourcePools.class)
				.doesNotHaveBean(RoutingDataSource.class)
				.doesNotHaveBean("primaryDataSource");
		});
	}

	@Test
	void aJndiDataSourceFromBootWinsAsItDoesWithoutTheStarter() {
		HikariDataSource jndi = new HikariDataSource();
		String factory = System.getProperty(Context.INITIAL_CONTEXT_FACTORY);
		System.setProperty(Context.INITIAL_CONTEXT_FACTORY, SingleDataSourceContextFactory.class.getName());
		SingleDataSourceContextFactory.dataSource = jndi;
		try {
			this.runner.withConfiguration(AutoConfigurations.of(JndiDataSourceAutoConfiguration.class))
				.withPropertyValues("spring.datasource.jndi-name=java:comp/env/jdbc/app")
				.run((context) -> {
					assertThat(context).hasSingleBean(DataSource.class).doesNotHaveBean(DataSourcePools.class);
					assertThat(context.getBean(DataSource.class)).isSameAs(jndi);
				});
		}
		finally {
			SingleDataSourceContextFactory.dataSource = null;
			if (factory != null) {
				System.setProperty(Context.INITIAL_CONTEXT_FACTORY, factory);
			}
			else {
				System.clearProperty(Context.INITIAL_CONTEXT_FACTORY);
			}
		}
	}

	@Test
	void anXaDataSourceFromBootWinsAsItDoesWithoutTheStarter() {
		this.runner.withConfiguration(AutoConfigurations.of(XADataSourceAutoConfiguration.class))
			.withUserConfiguration(XaWrapper.class)
			.withPropertyValues("spring.datasource.xa.data-source-class-name=org.postgresql.xa.PGXADataSource",
					"spring.datasource.xa.properties.url=jdbc:postgresql://127.0.0.1:1/xa")
			.run((context) -> {
				assertThat(context).hasSingleBean(DataSource.class).doesNotHaveBean(DataSourcePools.class);
				assertThat(context.getBean(DataSource.class)).isInstanceOf(XaWrapper.Wrapped.class);
			});
	}

	@Test
	void theCircuitBreakerIsOnByDefaultAndCanBeTurnedOff() {
		this.runner.run((context) -> assertThat(context.getBean(LiveTopology.class).current().primary().guard())
			.isInstanceOf(CircuitBreakerPrimaryGuard.class));
		this.runner.withPropertyValues("app.datasource.circuit-breaker.enabled=false")
			.run((context) -> assertThat(context.getBean(LiveTopology.class).current().primary().guard())
				.isSameAs(PrimaryGuard.NONE));
	}

	@Test
	void withoutReplicasTheReplicaSetIsEmpty() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(PoolAutoConfiguration.class))
			.withPropertyValues("app.datasource.primary.url=jdbc:postgresql://127.0.0.1:1/offline",
					"app.datasource.primary.initialization-fail-timeout=-1", "app.datasource.primary.minimum-idle=0")
			.run((context) -> {
				assertThat(context.getBean(ReplicaSet.class).states()).isEmpty();
				assertThat(context.getBeansOfType(HikariDataSource.class)).containsOnlyKeys("primaryDataSource");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class XaWrapper {

		@Bean
		XADataSourceWrapper xaDataSourceWrapper() {
			return Wrapped::new;
		}

		/** What a JTA transaction manager's wrapper would return. */
		static final class Wrapped extends AbstractDataSource {

			final XADataSource xaDataSource;

			Wrapped(XADataSource xaDataSource) {
				this.xaDataSource = xaDataSource;
			}

			@Override
			public Connection getConnection() throws SQLException {
				throw new SQLFeatureNotSupportedException("not used by this test");
			}

			@Override
			public Connection getConnection(String username, String password) throws SQLException {
				throw new SQLFeatureNotSupportedException("not used by this test");
			}

		}

	}

	/** A JNDI context that holds one DataSource, whatever the name. */
	public static final class SingleDataSourceContextFactory implements InitialContextFactory {

		static volatile DataSource dataSource;

		@Override
		public Context getInitialContext(Hashtable<?, ?> environment) {
			return (Context) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Context.class },
					(proxy, method, args) -> switch (method.getName()) {
						case "lookup" -> dataSource;
						case "getEnvironment" -> new Hashtable<>();
						case "close" -> null;
						default -> throw new OperationNotSupportedException(method.getName());
					});
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserDataSource {

		@Bean(destroyMethod = "close")
		HikariDataSource userDataSource() {
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/user");
			return dataSource;
		}

	}

}
