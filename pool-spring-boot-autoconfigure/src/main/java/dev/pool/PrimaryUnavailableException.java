package dev.pool;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The primary's circuit breaker is open after repeated connection failures: acquisitions
 * fail at once until the open period ends.
 */
public class PrimaryUnavailableException extends ConnectionUnavailableException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param message the pool and how long the breaker stays open
	 * @param retryAfter the time left before the breaker lets a probe through
	 */
	public PrimaryUnavailableException(String message, Duration retryAfter) {
		super(message, retryAfter, null);
	}

	/**
	 * Creates an exception for a wait the open breaker ended.
	 * @param message the pool and how long the breaker stays open
	 * @param retryAfter the time left before the breaker lets a probe through
	 * @param cause the ended wait
	 */
	public PrimaryUnavailableException(String message, Duration retryAfter, @Nullable Throwable cause) {
		super(message, retryAfter, cause);
	}

}
