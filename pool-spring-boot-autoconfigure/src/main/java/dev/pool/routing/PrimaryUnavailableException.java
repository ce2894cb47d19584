package dev.pool.routing;

import java.time.Duration;

/**
 * The primary's circuit breaker is open after repeated connection failures: acquisitions fail at
 * once until the open period ends.
 */
public class PrimaryUnavailableException extends ConnectionUnavailableException {

	private static final long serialVersionUID = 1L;

	public PrimaryUnavailableException(String message, Duration retryAfter) {
		super(message, retryAfter, null);
	}

}
