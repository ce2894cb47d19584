package dev.pool.autoconfigure;

import java.util.Set;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Boot's own pool meters see every pool exactly once: not the router, not the primary
 * twice.
 */
class BootMetersTest {

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

	private static Set<String> tagValues(MeterRegistry registry, String meter, String tag) {
		return registry.find(meter).meters().stream().map((m) -> m.getId().getTag(tag)).collect(Collectors.toSet());
	}

}
