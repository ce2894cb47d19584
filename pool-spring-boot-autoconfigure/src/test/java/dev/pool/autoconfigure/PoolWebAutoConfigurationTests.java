package dev.pool.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import dev.pool.ReadYourWrites;
import dev.pool.internal.consistency.ReadYourWritesSupport;
import dev.pool.internal.web.ConnectionUnavailableExceptionResolver;
import dev.pool.internal.web.ReadYourWritesFilter;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.Ordered;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

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
	void anApplicationsResolverReplacesTheStarters() {
		ConnectionUnavailableExceptionResolver own = new ConnectionUnavailableExceptionResolver(Duration.ofSeconds(7),
				List::of);
		this.runner.withBean(ConnectionUnavailableExceptionResolver.class, () -> own)
			.run((context) -> assertThat(context.getBean(ConnectionUnavailableExceptionResolver.class)).isSameAs(own));
	}

	@Test
	void anApplicationsReadYourWritesReplacesTheStartersAndTheFilterPassesRequestsThrough() {
		ReadYourWrites own = new ReadYourWrites() {

			@Override
			public Optional<String> currentToken() {
				return Optional.of("own");
			}

			@Override
			public void runWith(@Nullable String token, Runnable work) {
				work.run();
			}

			@Override
			public <T> T callWith(@Nullable String token, Supplier<T> work) {
				return work.get();
			}

		};
		this.runner.withBean(ReadYourWrites.class, () -> own).run((context) -> {
			assertThat(context.getBean(ReadYourWrites.class)).isSameAs(own);
			MockHttpServletRequest request = new MockHttpServletRequest("POST", "/notes");
			MockHttpServletResponse response = new MockHttpServletResponse();
			MockFilterChain chain = new MockFilterChain();
			context.getBean(ReadYourWritesFilter.class).doFilter(request, response, chain);
			assertThat(chain.getRequest()).isSameAs(request);
			assertThat(response.getHeaderNames()).isEmpty();
		});
		// Without the application's bean the starter's own is there, the one the filter
		// works with.
		this.runner.run((context) -> assertThat(context.getBean(ReadYourWrites.class))
			.isInstanceOf(ReadYourWritesSupport.class));
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
