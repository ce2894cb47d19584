package dev.pool.internal.consistency;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.datasource.PoolRole;

/**
 * Read-your-writes where replay positions cannot be read (databases other than
 * PostgreSQL): after a write, the writer's reads go to the primary for
 * {@code max-replica-lag}, the longest a replica in routing can be behind. Weaker than
 * positions: a replica that has caught up is not used sooner, and a replica whose lag is
 * unknown may be behind longer.
 */
public final class TimeBasedConsistency extends ReadYourWritesSupport {

	private final long windowMillis;

	/**
	 * Creates the strategy.
	 * @param window how long after a write its writer reads from the primary
	 * @param ttl how long a token counts
	 */
	public TimeBasedConsistency(Duration window, Duration ttl) {
		super(ttl);
		this.windowMillis = window.toMillis();
	}

	@Override
	public void commit(ManagedPool pool, Connection physical, boolean mayHaveWritten) throws SQLException {
		physical.commit();
		if (pool.role() == PoolRole.PRIMARY) {
			recordWrite(0);
		}
	}

	@Override
	public boolean mayWrite(String sql) {
		return StatementKinds.mayWrite(sql);
	}

	@Override
	public void wroteOutsideTransaction(Connection physical) {
		recordWrite(0);
	}

	@Override
	public long required() {
		long since = pendingSince();
		return (since != 0 && System.currentTimeMillis() < since + this.windowMillis) ? since : 0;
	}

	@Override
	protected boolean accepts(ConsistencyToken token) {
		return token.position() == 0;
	}

}
