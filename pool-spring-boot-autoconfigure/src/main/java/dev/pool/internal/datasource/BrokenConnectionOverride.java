package dev.pool.internal.datasource;

import java.sql.SQLException;

import com.zaxxer.hikari.SQLExceptionOverride;
import dev.pool.internal.failure.ConnectionFailures;

/**
 * Sees every SQL exception on the pool's connections (HikariCP asks it before deciding
 * whether to evict) and reports those that mean the connection is gone; what HikariCP
 * evicts otherwise is left as it decides.
 */
final class BrokenConnectionOverride implements SQLExceptionOverride {

	private final PoolEvents events;

	BrokenConnectionOverride(PoolEvents events) {
		this.events = events;
	}

	@java.lang.Override
	public Override adjudicate(SQLException exception) {
		if (!ConnectionFailures.isConnectionFailure(exception)) {
			return Override.CONTINUE_EVICT;
		}
		this.events.brokenInUse(exception);
		return Override.MUST_EVICT;
	}

}
