package dev.pool.routing;

/**
 * A read-only request found no replica able to serve it and falling back to the primary is
 * disabled ({@code app.datasource.routing.fallback-to-primary=false}).
 */
public class NoReplicaAvailableException extends ConnectionUnavailableException {

	private static final long serialVersionUID = 1L;

	public NoReplicaAvailableException(String message, Throwable cause) {
		super(message, null, cause);
	}

}
