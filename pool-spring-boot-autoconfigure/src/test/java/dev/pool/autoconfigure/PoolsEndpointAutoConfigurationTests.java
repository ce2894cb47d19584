package dev.pool.autoconfigure;

import dev.pool.internal.datasource.DataSourcePools;
import dev.pool.internal.datasource.PoolTrackers;
import dev.pool.internal.endpoint.PoolsEndpoint;
import dev.pool.internal.endpoint.PoolsEndpointWebExtension;
import dev.pool.internal.probe.NodeProbes;
import dev.pool.internal.routing.RoutingCounts;
import dev.pool.internal.topology.LiveTopology;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PoolsEndpointAutoConfiguration}: the endpoint exists only when
 * exposed, and its HTTP answers only when exposed over HTTP.
 */
class PoolsEndpointAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PoolAutoConfiguration.class, PoolsEndpointAutoConfiguration.class))
		.withPropertyValues(TestCluster.OFFLINE);

	@Test
	void anApplicationsEndpointReplacesTheStarters() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=pools")
			.withUserConfiguration(OwnEndpoint.class)
			.run((context) -> assertThat(context).hasSingleBean(PoolsEndpoint.class)
				.hasBean("ownPoolsEndpoint")
				.hasSingleBean(PoolsEndpointWebExtension.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnEndpoint {

		@Bean
		PoolsEndpoint ownPoolsEndpoint(LiveTopology poolTopology, DataSourcePools pools, NodeProbes poolProbes) {
			return new PoolsEndpoint(poolTopology, pools, new RoutingCounts(), new PoolTrackers(), "own", null,
					poolProbes);
		}

	}

	@Test
	void notExposedMeansNoEndpoint() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(PoolsEndpoint.class)
			.doesNotHaveBean(PoolsEndpointWebExtension.class));
	}

	@Test
	void exposedOverHttpGivesTheEndpointAndItsWebAnswers() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=pools")
			.run((context) -> assertThat(context).hasSingleBean(PoolsEndpoint.class)
				.hasSingleBean(PoolsEndpointWebExtension.class));
	}

	@Test
	void exposedOverJmxOnlyGivesNoWebExtension() {
		this.runner.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=pools")
			.run((context) -> assertThat(context).hasSingleBean(PoolsEndpoint.class)
				.doesNotHaveBean(PoolsEndpointWebExtension.class));
	}

}
