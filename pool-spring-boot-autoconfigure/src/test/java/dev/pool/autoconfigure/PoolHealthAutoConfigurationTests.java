package dev.pool.autoconfigure;

import dev.pool.internal.health.PoolHealthIndicator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PoolHealthAutoConfiguration}: it takes Boot's {@code db} contributor's
 * place and backs off as Boot's would.
 */
class PoolHealthAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PoolAutoConfiguration.class, PoolHealthAutoConfiguration.class,
				HealthContributorAutoConfiguration.class, DataSourceHealthContributorAutoConfiguration.class))
		.withPropertyValues(TestCluster.OFFLINE);

	@Test
	void theDbContributorIsTheStartersAndBootsBacksOff() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(PoolHealthIndicator.class);
			assertThat(context.getBean("dbHealthContributor")).isInstanceOf(PoolHealthIndicator.class);
			assertThat(context.getBeansOfType(HealthIndicator.class)).containsOnlyKeys("dbHealthContributor",
					"pingHealthContributor");
		});
	}

	@Test
	void anApplicationDbHealthIndicatorWins() {
		this.runner.withUserConfiguration(OwnDbHealth.class).run((context) -> {
			assertThat(context).doesNotHaveBean(PoolHealthIndicator.class);
			assertThat(context.getBean("dbHealthIndicator")).isNotInstanceOf(PoolHealthIndicator.class);
		});
	}

	@Test
	void disablingTheDbIndicatorDisablesTheStartersToo() {
		this.runner.withPropertyValues("management.health.db.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(PoolHealthIndicator.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnDbHealth {

		@Bean
		HealthIndicator dbHealthIndicator() {
			return () -> Health.up().build();
		}

	}

}
