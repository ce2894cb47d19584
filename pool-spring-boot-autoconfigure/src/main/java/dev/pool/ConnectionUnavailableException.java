package dev.pool;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The starter refused a connection on purpose (draining, circuit open, no replica):
 * callers should retry later; web requests get 503 with {@code Retry-After}.
 */
public class ConnectionUnavailableException extends SQLTransientConnectionException {

	private static final long serialVersionUID = 1L;

	private final transient @Nullable Duration retryAfter;

	/**
	 * Creates an exception.
	 * @param message what was refused and why, with the pool name
	 * @param retryAfter how long until trying again makes sense, or {@code null} for the
	 * configured default
	 * @param cause the failure behind the refusal, if any
	 */
	public ConnectionUnavailableException(String message, @Nullable Duration retryAfter, @Nullable Throwable cause) {
		super(message, null, cause);
		this.retryAfter = retryAfter;
	}

	/**
	 * How long until trying again makes sense.
	 * @return the time, or {@code null} to use the configured default
	 */
	public @Nullable Duration getRetryAfter() {
		return this.retryAfter;
	}

}
