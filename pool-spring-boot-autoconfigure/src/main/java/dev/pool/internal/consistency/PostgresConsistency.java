package dev.pool.internal.consistency;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.datasource.PoolRole;
import dev.pool.internal.topology.LiveTopology;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * Read-your-writes on PostgreSQL, by WAL position: a replica serves a writer's reads once
 * its {@code pg_last_wal_replay_lsn()} has reached a position at or past the writer's
 * commits.
 * <p>
 * The position is {@code pg_current_wal_insert_lsn()} on the primary, asked after the
 * commit was acknowledged: the server answers that question after the commit, so the
 * position it gives is past the commit record (with asynchronous commit too, which
 * inserts the record before it answers). Outside a web request nothing is asked at the
 * write (see {@link ReplayPositionConsistency}). Inside a web request the response takes
 * a token after each write, before it may commit, so the position is read at once: after
 * an autocommit write on the same connection before it goes back, after a transaction in
 * the commit's own round trip.
 */
public final class PostgresConsistency extends ReplayPositionConsistency {

	// One round trip: whether the transaction wrote (only a write assigns a transaction
	// id), the commit, then the position the commit reached.
	private static final String COMMIT_AND_POSITION = "SELECT pg_current_xact_id_if_assigned() IS NOT NULL; "
			+ "COMMIT; SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint";

	// One round trip: whether a transaction that ran no statement known to write did
	// write (a function called by a SELECT), then the commit.
	private static final String WROTE_AND_COMMIT = "SELECT pg_current_xact_id_if_assigned() IS NOT NULL; COMMIT";

	private static final String POSITION = "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint";

	private static final String REPLAYED = "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint";

	/**
	 * Creates the strategy.
	 * @param topology the primary (whichever it is now) and the replicas' positions
	 * @param maxWait how long a read may wait for a replica to catch up
	 * @param ttl how long a position counts after its write
	 */
	public PostgresConsistency(LiveTopology topology, Duration maxWait, Duration ttl) {
		super(topology, maxWait, ttl);
	}

	@Override
	public void commit(ManagedPool pool, Connection physical, boolean mayHaveWritten) throws SQLException {
		// Only an open transaction on the primary has anything to capture; a failed one
		// is left to the driver, which reports that the commit rolled back.
		if (pool.role() != PoolRole.PRIMARY
				|| physical.unwrap(BaseConnection.class).getTransactionState() != TransactionState.OPEN) {
			physical.commit();
			return;
		}
		if (!positionWantedNow()) {
			// A statement known to write ran: a plain commit. Otherwise the server says
			// whether the transaction wrote, in the commit's round trip.
			boolean wrote;
			if (mayHaveWritten) {
				physical.commit();
				wrote = true;
			}
			else {
				wrote = wroteAndCommit(physical);
			}
			if (wrote) {
				recordUnreadWrite();
			}
			return;
		}
		boolean wrote;
		long position;
		try (PreparedStatement statement = physical.prepareStatement(COMMIT_AND_POSITION)) {
			statement.execute();
			try (ResultSet rs = statement.getResultSet()) {
				rs.next();
				wrote = rs.getBoolean(1);
			}
			statement.getMoreResults();
			statement.getMoreResults();
			try (ResultSet rs = statement.getResultSet()) {
				rs.next();
				position = rs.getLong(1);
			}
		}
		// The transaction is over: this sends nothing, and lets the pool know it
		// committed.
		physical.commit();
		// A transaction that only read leaves its caller free to read from any replica.
		if (wrote) {
			written(position);
		}
	}

	// Asks whether the transaction wrote and commits it, in one round trip.
	private static boolean wroteAndCommit(Connection physical) throws SQLException {
		boolean wrote;
		try (PreparedStatement statement = physical.prepareStatement(WROTE_AND_COMMIT)) {
			statement.execute();
			try (ResultSet rs = statement.getResultSet()) {
				rs.next();
				wrote = rs.getBoolean(1);
			}
		}
		// The transaction is over: this sends nothing, and lets the pool know it
		// committed.
		physical.commit();
		return wrote;
	}

	@Override
	public void wroteOutsideTransaction(Connection physical) throws SQLException {
		if (!positionWantedNow()) {
			recordUnreadWrite();
			return;
		}
		written(primaryPosition(physical));
	}

	@Override
	protected long primaryPosition(Connection primary) throws SQLException {
		try (PreparedStatement statement = primary.prepareStatement(POSITION);
				ResultSet rs = statement.executeQuery()) {
			rs.next();
			return rs.getLong(1);
		}
	}

	@Override
	protected long appliedPosition(Connection replica) throws SQLException {
		try (PreparedStatement statement = replica.prepareStatement(REPLAYED);
				ResultSet rs = statement.executeQuery()) {
			rs.next();
			return rs.getLong(1);
		}
	}

}
