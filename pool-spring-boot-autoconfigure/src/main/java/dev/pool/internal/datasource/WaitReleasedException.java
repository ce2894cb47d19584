package dev.pool.internal.datasource;

import java.sql.SQLTransientConnectionException;

/**
 * A thread waiting for a connection was let go because its pool's server is known to be
 * gone (the primary's circuit breaker opened, or the replica was ejected).
 */
public final class WaitReleasedException extends SQLTransientConnectionException {

	private static final long serialVersionUID = 1L;

	WaitReleasedException(String poolName, Throwable cause) {
		super("Stopped waiting for a connection from pool '" + poolName
				+ "': its server is unreachable (circuit breaker open or replica ejected)", "08006", cause);
	}

}
