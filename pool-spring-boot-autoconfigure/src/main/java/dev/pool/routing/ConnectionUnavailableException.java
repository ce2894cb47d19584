package dev.pool.routing;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;

/**
 * The starter refused a connection on purpose (draining, circuit open, no replica): callers
 * should retry later; web requests get 503 with {@code Retry-After}.
 */
public class ConnectionUnavailableException extends SQLTransientConnectionException {

	private static final long serialVersionUID = 1L;

	private final transient Duration retryAfter;

	public ConnectionUnavailableException(String message, Duration retryAfter, Throwable cause) {
		super(message, null, cause);
		this.retryAfter = retryAfter;
	}

	/** How long until trying again makes sense, or {@code null} to use the configured default. */
	public Duration getRetryAfter() {
		return this.retryAfter;
	}

}
