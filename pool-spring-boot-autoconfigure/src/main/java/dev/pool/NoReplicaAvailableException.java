package dev.pool;

import org.jspecify.annotations.Nullable;

/**
 * A read-only request found no replica able to serve it and falling back to the primary
 * is disabled ({@code app.datasource.routing.fallback-to-primary=false}).
 */
public class NoReplicaAvailableException extends ConnectionUnavailableException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param message which replicas were tried and their states
	 * @param cause the last replica's connection failure, if any
	 */
	public NoReplicaAvailableException(String message, @Nullable Throwable cause) {
		super(message, null, cause);
	}

}
