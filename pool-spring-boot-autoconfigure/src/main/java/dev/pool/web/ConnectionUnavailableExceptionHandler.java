package dev.pool.web;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;

import dev.pool.routing.ConnectionUnavailableException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers "no database connection in time" with 503, {@code Retry-After} and a problem detail
 * instead of a 500. Matches HikariCP's {@link SQLTransientConnectionException} (and the
 * starter's drain, circuit-breaker and no-replica refusals, which extend it) anywhere in the
 * cause chain, whatever Spring wrapped it in; deadlocks and query timeouts are other types and
 * pass through. Ordered last, so the application's own handlers win.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ConnectionUnavailableExceptionHandler {

	private static final Log logger = LogFactory.getLog(ConnectionUnavailableExceptionHandler.class);

	static final String DETAIL = "The service cannot reach its database right now. Please retry later.";

	private final Duration retryAfter;

	public ConnectionUnavailableExceptionHandler(Duration retryAfter) {
		this.retryAfter = retryAfter;
	}

	@ExceptionHandler(SQLTransientConnectionException.class)
	public ResponseEntity<ProblemDetail> connectionUnavailable(SQLTransientConnectionException ex) {
		// HikariCP's message names the pool and its counts; it belongs in the log, not the response.
		logger.warn("Answered 503, no database connection: " + ex.getMessage());
		Duration wait = this.retryAfter;
		if (ex instanceof ConnectionUnavailableException unavailable && unavailable.getRetryAfter() != null) {
			wait = unavailable.getRetryAfter();
		}
		long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, DETAIL);
		problem.setTitle("Service Unavailable");
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem);
	}

}
