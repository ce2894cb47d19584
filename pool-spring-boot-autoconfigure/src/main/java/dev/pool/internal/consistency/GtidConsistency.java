package dev.pool.internal.consistency;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.datasource.PoolRole;
import dev.pool.internal.topology.LiveTopology;
import org.jspecify.annotations.Nullable;

/**
 * Read-your-writes by GTID, whatever the server's flavour of them: a transaction counts
 * as a write when one of its statements may write (the statement's own text: neither
 * MariaDB nor MySQL says cheaply whether a {@code SELECT} calling a function wrote);
 * after it was acknowledged its position is read at once when a web response needs the
 * token, otherwise when the caller next needs it.
 */
public abstract class GtidConsistency extends ReplayPositionConsistency {

	/**
	 * Creates the strategy.
	 * @param topology the primary (whichever it is now) and the replicas' positions
	 * @param maxWait how long a read may wait for a replica to catch up
	 * @param ttl how long a position counts after its write
	 */
	protected GtidConsistency(LiveTopology topology, Duration maxWait, Duration ttl) {
		super(topology, maxWait, ttl);
	}

	/**
	 * Reads the position of the write just acknowledged on a primary connection.
	 * @param physical the connection that wrote
	 * @return the position, {@link #UNKNOWN_POSITION} when it cannot be told
	 * @throws SQLException when it cannot be read
	 */
	protected abstract long writePosition(Connection physical) throws SQLException;

	@Override
	public final void commit(ManagedPool pool, Connection physical, boolean mayHaveWritten) throws SQLException {
		physical.commit();
		if (pool.role() != PoolRole.PRIMARY || !mayHaveWritten) {
			return;
		}
		wrote(physical);
	}

	@Override
	public final void wroteOutsideTransaction(Connection physical) throws SQLException {
		wrote(physical);
	}

	/**
	 * A server variable as text, empty when the server answered NULL.
	 * @param value the variable
	 * @return the text
	 */
	protected static String text(@Nullable String value) {
		return (value != null) ? value : "";
	}

	private void wrote(Connection physical) throws SQLException {
		if (!positionWantedNow()) {
			recordUnreadWrite();
			return;
		}
		written(writePosition(physical));
	}

}
