package dev.pool.autoconfigure;

import dev.pool.internal.web.ConnectionUnavailableExceptionResolver;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.Ordered;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PoolWebAutoConfiguration}.
 */
class PoolWebAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(PoolAutoConfiguration.class,
			PoolWebAutoConfiguration.class);

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(CONFIGURATIONS)
		.withPropertyValues(TestCluster.OFFLINE);

	@Test
	void aServletApplicationGetsThe503ResolverOrderedAfterItsOwnHandlers() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(ConnectionUnavailableExceptionResolver.class);
			assertThat(context.getBean(ConnectionUnavailableExceptionResolver.class).getOrder())
				.isEqualTo(Ordered.LOWEST_PRECEDENCE);
		});
	}

	@Test
	void exhaustionDisabledMeansNoResolver() {
		this.runner.withPropertyValues("app.datasource.exhaustion.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ConnectionUnavailableExceptionResolver.class));
	}

	@Test
	void aNonWebApplicationGetsNoResolver() {
		new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues(TestCluster.OFFLINE)
			.run((context) -> assertThat(context).doesNotHaveBean(ConnectionUnavailableExceptionResolver.class));
	}

}
