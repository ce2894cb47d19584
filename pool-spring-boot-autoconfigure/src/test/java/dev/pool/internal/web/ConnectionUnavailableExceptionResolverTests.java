package dev.pool.internal.web;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.pool.PrimaryUnavailableException;
import org.junit.jupiter.api.Test;

import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.StringHttpMessageConverter;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.servlet.ModelAndView;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConnectionUnavailableExceptionResolver}.
 */
class ConnectionUnavailableExceptionResolverTests {

	private static final SQLTransientConnectionException HIKARI_TIMEOUT = new SQLTransientConnectionException(
			"primary - Connection is not available, request timed out after 1000ms (total=2, active=2, idle=0, waiting=1)");

	private final ConnectionUnavailableExceptionResolver resolver = new ConnectionUnavailableExceptionResolver(
			Duration.ofSeconds(3),
			() -> List.of(new StringHttpMessageConverter(), new JacksonJsonHttpMessageConverter()));

	@Test
	void anAcquisitionTimeoutWrappedBySpringIs503WithAProblemDetailAndNoInternals() throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		ModelAndView handled = resolve(
				new CannotCreateTransactionException("Could not open JDBC Connection",
						new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection", HIKARI_TIMEOUT)),
				response);
		assertThat(handled).isNotNull();
		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getHeader("Retry-After")).isEqualTo("3");
		assertThat(response.getContentType()).startsWith("application/problem+json");
		DocumentContext problem = JsonPath.parse(response.getContentAsString());
		assertThat(problem.read("$.status", Integer.class)).isEqualTo(503);
		assertThat(problem.read("$.title", String.class)).isEqualTo("Service Unavailable");
		assertThat(problem.read("$.detail", String.class)).isEqualTo(ConnectionUnavailableExceptionResolver.DETAIL);
		assertThat(problem.read("$.instance", String.class)).isEqualTo("/transfers");
		assertThat(response.getContentAsString()).doesNotContain("primary").doesNotContain("total=");
	}

	@Test
	void aRefusalThatKnowsWhenToRetryOverridesTheConfiguredRetryAfter() {
		MockHttpServletResponse response = new MockHttpServletResponse();
		resolve(new PrimaryUnavailableException("open", Duration.ofMillis(2300)), response);
		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getHeader("Retry-After")).isEqualTo("3");
	}

	@Test
	void aConnectionThatBrokeUnderTheRequestIs503() {
		MockHttpServletResponse response = new MockHttpServletResponse();
		resolve(new CannotGetJdbcConnectionException("x", new SQLException("terminating connection", "57P01")),
				response);
		assertThat(response.getStatus()).isEqualTo(503);
	}

	@Test
	void sqlErrorsAreLeftToTheRestOfTheApplication() {
		MockHttpServletResponse response = new MockHttpServletResponse();
		assertThat(resolve(new org.springframework.dao.DeadlockLoserDataAccessException("deadlock",
				new SQLException("deadlock detected", "40P01")), response))
			.isNull();
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getHeader("Retry-After")).isNull();
	}

	@Test
	void aCommittedResponseIsLeftAlone() throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		response.getWriter().write("partial");
		response.flushBuffer();
		assertThat(resolve(HIKARI_TIMEOUT, response)).isNull();
		assertThat(response.getContentAsString()).isEqualTo("partial");
	}

	@Test
	void withoutAJsonConverterTheDetailIsWrittenAsText() throws Exception {
		ConnectionUnavailableExceptionResolver plain = new ConnectionUnavailableExceptionResolver(Duration.ofSeconds(1),
				() -> List.<HttpMessageConverter<?>>of(new StringHttpMessageConverter()));
		MockHttpServletResponse response = new MockHttpServletResponse();
		plain.resolveException(new MockHttpServletRequest("GET", "/x"), response, null, HIKARI_TIMEOUT);
		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getContentType()).startsWith("text/plain");
		assertThat(response.getContentAsString()).isEqualTo(ConnectionUnavailableExceptionResolver.DETAIL);
	}

	private ModelAndView resolve(Exception ex, MockHttpServletResponse response) {
		return this.resolver.resolveException(new MockHttpServletRequest("POST", "/transfers"), response, null, ex);
	}

}
