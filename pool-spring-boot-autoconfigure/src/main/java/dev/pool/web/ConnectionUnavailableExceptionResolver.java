package dev.pool.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;

import dev.pool.routing.ConnectionFailures;
import dev.pool.routing.ConnectionUnavailableException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Answers "no database connection in time" with 503, {@code Retry-After} and a problem detail
 * instead of a 500. Matches HikariCP's {@link SQLTransientConnectionException} (and the
 * starter's drain, circuit-breaker and no-replica refusals, which extend it) anywhere in the
 * cause chain, whatever Spring wrapped it in. A connection that broke under the request (SQLState
 * class 08, or 57P01-57P03: the server went away) is answered the same way, since retrying later
 * is the right advice for both. Deadlocks, query timeouts and other SQL errors pass through.
 * <p>
 * A resolver ordered after Spring MVC's own rather than a controller advice: it runs only when
 * no {@code @ExceptionHandler} of the application matched, so the application's handlers win.
 */
public class ConnectionUnavailableExceptionResolver implements HandlerExceptionResolver, Ordered {

	private static final Log logger = LogFactory.getLog(ConnectionUnavailableExceptionResolver.class);

	static final String DETAIL = "The service cannot reach its database right now. Please retry later.";

	private final Duration retryAfter;

	public ConnectionUnavailableExceptionResolver(Duration retryAfter) {
		this.retryAfter = retryAfter;
	}

	@Override
	public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
			Exception ex) {
		SQLTransientConnectionException unavailable = find(ex);
		if ((unavailable == null && !ConnectionFailures.isConnectionFailure(ex)) || response.isCommitted()) {
			return null;
		}
		// HikariCP's message names the pool and its counts: it belongs in the log, not the response.
		logger.warn("Answered 503, no database connection: "
				+ ((unavailable != null) ? unavailable.getMessage() : ex.getMessage()));
		Duration wait = this.retryAfter;
		if (unavailable instanceof ConnectionUnavailableException refused && refused.getRetryAfter() != null) {
			wait = refused.getRetryAfter();
		}
		long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
		try {
			response.resetBuffer();
			response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
			response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.setCharacterEncoding(StandardCharsets.UTF_8.name());
			response.getWriter()
				.write("{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"" + DETAIL
						+ "\",\"instance\":\"" + json(request.getRequestURI()) + "\"}");
			response.flushBuffer();
		}
		catch (IOException writeFailure) {
			logger.debug("Could not write the 503 response", writeFailure);
		}
		return new ModelAndView();
	}

	private static SQLTransientConnectionException find(Throwable ex) {
		for (Throwable current = ex; current != null; current = (current.getCause() != current) ? current.getCause() : null) {
			if (current instanceof SQLTransientConnectionException match) {
				return match;
			}
		}
		return null;
	}

	private static String json(String value) {
		StringBuilder escaped = new StringBuilder(value.length());
		for (char c : value.toCharArray()) {
			switch (c) {
				case '"' -> escaped.append("\\\"");
				case '\\' -> escaped.append("\\\\");
				default -> {
					if (c < 0x20) {
						escaped.append(String.format("\\u%04x", (int) c));
					}
					else {
						escaped.append(c);
					}
				}
			}
		}
		return escaped.toString();
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
