package dev.pool.internal.web;

import java.io.IOException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import dev.pool.ConnectionUnavailableException;
import dev.pool.internal.datasource.PoolSettings;
import dev.pool.internal.failure.ConnectionFailures;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Answers "no database connection in time" with 503, {@code Retry-After} and a problem
 * detail instead of a 500. Matches HikariCP's {@link SQLTransientConnectionException}
 * (and the starter's drain, circuit-breaker and no-replica refusals, which extend it)
 * anywhere in the cause chain, whatever Spring wrapped it in. A connection that broke
 * under the request (SQLState class 08, or 57P01-57P03: the server went away) is answered
 * the same way, since retrying later is the right advice for both. Deadlocks, query
 * timeouts and other SQL errors pass through.
 * <p>
 * A resolver ordered after Spring MVC's own rather than a controller advice: it runs only
 * when no {@code @ExceptionHandler} of the application matched, so the application's
 * handlers win. The body is a {@link ProblemDetail} written by the same message
 * converters MVC uses.
 */
public final class ConnectionUnavailableExceptionResolver implements HandlerExceptionResolver, Ordered {

	/** The problem detail's text: says what to do, names nothing internal. */
	public static final String DETAIL = "The service cannot reach its database right now. Please retry later.";

	private static final Log logger = LogFactory.getLog(ConnectionUnavailableExceptionResolver.class);

	private final Duration retryAfter;

	private final Supplier<List<HttpMessageConverter<?>>> converters;

	/**
	 * Creates the resolver.
	 * @param retryAfter the {@code Retry-After} of a 503 whose cause does not say better
	 * @param converters the message converters Spring MVC writes responses with
	 */
	public ConnectionUnavailableExceptionResolver(Duration retryAfter,
			Supplier<List<HttpMessageConverter<?>>> converters) {
		this.retryAfter = retryAfter;
		this.converters = converters;
	}

	@Override
	public @Nullable ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response,
			@Nullable Object handler, Exception ex) {
		SQLTransientConnectionException unavailable = ConnectionFailures.find(ex,
				SQLTransientConnectionException.class);
		if ((unavailable == null && !ConnectionFailures.isConnectionFailure(ex)) || response.isCommitted()) {
			return null;
		}
		// HikariCP's message names the pool and its counts: it belongs in the log, not
		// the response.
		logger.warn("Answered 503, no database connection: "
				+ ((unavailable != null) ? unavailable.getMessage() : ex.getMessage()));
		Duration wait = this.retryAfter;
		if (unavailable instanceof ConnectionUnavailableException refused && refused.getRetryAfter() != null) {
			wait = refused.getRetryAfter();
		}
		long seconds = PoolSettings.wholeSeconds(wait);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, DETAIL);
		problem.setInstance(ProblemWriter.instance(request));
		try {
			response.resetBuffer();
			ServletServerHttpResponse out = new ServletServerHttpResponse(response);
			out.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
			ProblemWriter.write(problem, this.converters.get(), out);
		}
		catch (IOException writeFailure) {
			logger.debug("Could not write the 503 response", writeFailure);
		}
		return new ModelAndView();
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
