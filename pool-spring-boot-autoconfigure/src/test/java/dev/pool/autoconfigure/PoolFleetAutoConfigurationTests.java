package dev.pool.autoconfigure;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.internal.fleet.Fleet;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PoolFleetAutoConfiguration}'s conditions: off unless a budget or
 * adaptive sizing is asked for, and never without the starter's router.
 */
class PoolFleetAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PoolAutoConfiguration.class, PoolFleetAutoConfiguration.class,
				DataSourceAutoConfiguration.class))
		.withPropertyValues(TestCluster.OFFLINE)
		.withPropertyValues("app.datasource.primary.maximum-pool-size=8");

	@Test
	void offByDefault() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(Fleet.class);
			assertThat(maximum(context.getBean("primaryDataSource", HikariDataSource.class))).isEqualTo(8);
		});
	}

	@Test
	void aBudgetParksTheRoutedPoolsUntilTheirFirstSettlement() {
		this.runner.withPropertyValues("app.datasource.fleet.max-connections=40").run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(Fleet.class);
			HikariDataSource primary = context.getBean("primaryDataSource", HikariDataSource.class);
			// The node is unreachable: no slots, so one connection at most.
			assertThat(maximum(primary)).isEqualTo(1);
			assertThat(primary.getMinimumIdle()).isZero();
			// The fleet's first settlement connects in HikariCP's stead.
			assertThat(primary.getInitializationFailTimeout()).isEqualTo(-1);
		});
	}

	@Test
	void adaptiveSizingAloneStartsEachPoolAtItsMinimum() {
		this.runner.withPropertyValues("app.datasource.sizing.adaptive=true").run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(Fleet.class);
			assertThat(maximum(context.getBean("primaryDataSource", HikariDataSource.class))).isEqualTo(1);
		});
	}

	@Test
	void aBudgetWithoutAdaptiveSizingIsNotAdaptiveSizingTurnedOn() {
		this.runner.withPropertyValues("app.datasource.sizing.adaptive=false").run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(Fleet.class);
			assertThat(maximum(context.getBean("primaryDataSource", HikariDataSource.class))).isEqualTo(8);
		});
	}

	@Test
	void backsOffWithTheStartersDataSource() {
		this.runner.withUserConfiguration(UserDataSource.class)
			.withPropertyValues("app.datasource.fleet.max-connections=40")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(Fleet.class));
	}

	private static int maximum(HikariDataSource pool) {
		return pool.getMaximumPoolSize();
	}

	@Configuration(proxyBeanMethods = false)
	static class UserDataSource {

		@Bean
		DataSource dataSource() {
			return new SimpleDriverDataSource();
		}

	}

}
