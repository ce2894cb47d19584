package dev.pool.autoconfigure;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.internal.breaker.CircuitBreakerPrimaryGuard;
import dev.pool.internal.breaker.PrimaryGuard;
import dev.pool.internal.datasource.DataSourcePools;
import dev.pool.internal.replica.ReplicaSet;
import dev.pool.internal.routing.RoutingDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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
	void anApplicationDataSourceTurnsTheStarterOff() {
		this.runner.withUserConfiguration(UserDataSource.class).run((context) -> {
			assertThat(context).hasSingleBean(DataSource.class)
				.doesNotHaveBean(DataSourcePools.class)
				.doesNotHaveBean(RoutingDataSource.class)
				.doesNotHaveBean("primaryDataSource");
		});
	}

	@Test
	void theCircuitBreakerIsOnByDefaultAndCanBeTurnedOff() {
		this.runner.run((context) -> assertThat(context.getBean(PrimaryGuard.class))
			.isInstanceOf(CircuitBreakerPrimaryGuard.class));
		this.runner.withPropertyValues("app.datasource.circuit-breaker.enabled=false")
			.run((context) -> assertThat(context.getBean(PrimaryGuard.class)).isSameAs(PrimaryGuard.NONE));
	}

	@Test
	void withoutReplicasTheReplicaSetIsEmpty() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(PoolAutoConfiguration.class))
			.withPropertyValues("app.datasource.primary.url=jdbc:postgresql://127.0.0.1:1/offline",
					"app.datasource.primary.initialization-fail-timeout=-1", "app.datasource.primary.minimum-idle=0")
			.run((context) -> {
				assertThat(context.getBean(ReplicaSet.class).isEmpty()).isTrue();
				assertThat(context.getBeansOfType(HikariDataSource.class)).containsOnlyKeys("primaryDataSource");
			});
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
