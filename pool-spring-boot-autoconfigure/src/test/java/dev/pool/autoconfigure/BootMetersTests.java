package dev.pool.autoconfigure;

import java.util.Set;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Boot's own pool meters see every pool exactly once: not the router, not the primary
 * twice.
 */
class BootMetersTests {

	private static final String DB = "boot_meters_test";

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(TestCluster.JDBC)
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				DataSourcePoolMetricsAutoConfiguration.class, PoolMetricsAutoConfiguration.class))
		.withPropertyValues(TestCluster.properties(DB));

	@Test
	void jdbcConnectionsMetersReportEachPoolOnce() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(tagValues(registry, "jdbc.connections.max", "name")).containsExactlyInAnyOrder("primary",
					"replica-1", "replica-2");
			assertThat(registry.find("jdbc.connections.max").meters()).hasSize(3);
		});
	}

	@Test
	void hikariMetersExistForEveryPoolTaggedWithItsName() {
		this.runner.run((context) -> {
			TestCluster.node(context.getBean(JdbcTemplate.class));
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(tagValues(registry, "hikaricp.connections.max", "pool")).containsExactlyInAnyOrder("primary",
					"replica-1", "replica-2");
			assertThat(registry.get("hikaricp.connections.acquire").tag("pool", "primary").timer().count())
				.isPositive();
		});
	}

	@Test
	void thePrimarysBreakerHasResilience4jsMetersWithItsMicrometerModule() {
		this.runner.run((context) -> {
			assertThat(context.getBean(CircuitBreakerRegistry.class).find("pool-primary")).isPresent();
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("resilience4j.circuitbreaker.state")
				.tag("name", "pool-primary")
				.tag("state", "closed")
				.gauge()
				.value()).isEqualTo(1.0);
		});
		CircuitBreakerRegistry own = CircuitBreakerRegistry.ofDefaults();
		this.runner.withBean(CircuitBreakerRegistry.class, () -> own).run((context) -> {
			assertThat(context).hasSingleBean(CircuitBreakerRegistry.class);
			assertThat(own.find("pool-primary")).isPresent();
		});
		this.runner.withClassLoader(new FilteredClassLoader(TaggedCircuitBreakerMetrics.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(CircuitBreakerRegistry.class));
	}

	private static Set<String> tagValues(MeterRegistry registry, String meter, String tag) {
		return registry.find(meter).meters().stream().map((m) -> m.getId().getTag(tag)).collect(Collectors.toSet());
	}

}
