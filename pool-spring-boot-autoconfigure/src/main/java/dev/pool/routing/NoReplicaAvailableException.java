package dev.pool.routing;

import java.sql.SQLTransientConnectionException;

/**
 * A read-only request found no replica able to serve it and falling back to the primary is
 * disabled ({@code app.datasource.routing.fallback-to-primary=false}).
 */
public class NoReplicaAvailableException extends SQLTransientConnectionException {

	private static final long serialVersionUID = 1L;

	public NoReplicaAvailableException(String message, Throwable cause) {
		super(message, "08001", cause);
	}

}
