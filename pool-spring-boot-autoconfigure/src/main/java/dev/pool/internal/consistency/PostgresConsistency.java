package dev.pool.internal.consistency;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.datasource.PoolRole;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.internal.topology.PrimaryNode;
import dev.pool.internal.topology.ReplicaNode;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
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
 * write: the caller's next read (or a token handed out) asks once, and one answer serves
 * every caller whose write was acknowledged before the question was sent (compared on
 * {@link System#nanoTime()}, strictly later). Inside a web request the response takes a
 * token after each write, before it may commit, so the position is read at once: after an
 * autocommit write on the same connection before it goes back, after a transaction in the
 * commit's own round trip.
 */
public final class PostgresConsistency extends ReadYourWritesSupport {

	private static final Log logger = LogFactory.getLog(PostgresConsistency.class);

	// One round trip: whether the transaction wrote (only a write assigns a transaction
	// id), the commit, then the position the commit reached.
	private static final String COMMIT_AND_POSITION = "SELECT pg_current_xact_id_if_assigned() IS NOT NULL; "
			+ "COMMIT; SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint";

	// One round trip: whether a transaction that ran no statement known to write did
	// write (a function called by a SELECT), then the commit.
	private static final String WROTE_AND_COMMIT = "SELECT pg_current_xact_id_if_assigned() IS NOT NULL; COMMIT";

	private static final String POSITION = "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint";

	private static final String REPLAYED = "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint";

	// At most one look at a replica's position in this interval, whatever the load.
	private static final long REFRESH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

	// A refresh of the primary's position that started this long after a token was issued
	// already covers it, whatever the skew between two servers' clocks.
	private static final long CLOCK_SKEW_MILLIS = 1_000;

	private final LiveTopology topology;

	private final long maxWaitNanos;

	private final AtomicLong primaryPosition = new AtomicLong();

	private final ReentrantLock primaryRefresh = new ReentrantLock();

	private volatile long primaryRefreshedAtMillis;

	// The last question for the primary's position: when it was sent (System.nanoTime(),
	// written after its answer) and the answer; 0 before the first.
	private volatile long askedAtNanos;

	private volatile long askedPosition;

	/**
	 * Creates the strategy.
	 * @param topology the primary (whichever it is now) and the replicas' positions
	 * @param maxWait how long a read may wait for a replica to catch up
	 * @param ttl how long a position counts after its write
	 */
	public PostgresConsistency(LiveTopology topology, Duration maxWait, Duration ttl) {
		super(ttl);
		this.topology = topology;
		this.maxWaitNanos = maxWait.toNanos();
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

	@Override
	public boolean mayWrite(String sql) {
		return StatementKinds.mayWrite(sql);
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
		try (PreparedStatement statement = physical.prepareStatement(POSITION);
				ResultSet rs = statement.executeQuery()) {
			rs.next();
			written(rs.getLong(1));
		}
	}

	@Override
	public void positionUnknown() {
		recordWrite(UNKNOWN_POSITION);
	}

	private void written(long position) {
		this.primaryPosition.accumulateAndGet(position, Math::max);
		recordWrite(position);
	}

	@Override
	public long required() {
		return pendingPosition();
	}

	/**
	 * One question to the primary serves every write acknowledged before it was sent: a
	 * caller whose write came before the last question takes its answer; the others queue
	 * on one lock, and the first of them asks again for all.
	 */
	@Override
	protected long positionAfter(long sinceNanos) {
		if (this.askedAtNanos - sinceNanos > 0) {
			return this.askedPosition;
		}
		this.primaryRefresh.lock();
		try {
			if (this.askedAtNanos - sinceNanos > 0) {
				return this.askedPosition;
			}
			return askPrimary(sinceNanos);
		}
		finally {
			this.primaryRefresh.unlock();
		}
	}

	// The primary's position, asked strictly after afterNanos; UNKNOWN_POSITION when it
	// cannot answer. Under primaryRefresh: the one place the primary is asked, for
	// writes' positions and for tokens alike.
	private long askPrimary(long afterNanos) {
		long askedAt = System.nanoTime();
		// Strictly later than the writes it covers: an equal reading may come from
		// before them.
		while (askedAt - afterNanos <= 0) {
			Thread.onSpinWait();
			askedAt = System.nanoTime();
		}
		long askedAtMillis = System.currentTimeMillis();
		PrimaryNode primary = this.topology.current().primary();
		long position;
		try (Connection connection = primary.guard().borrow(primary.pool());
				PreparedStatement statement = connection.prepareStatement(POSITION);
				ResultSet rs = statement.executeQuery()) {
			rs.next();
			position = rs.getLong(1);
		}
		catch (SQLException ex) {
			logger.debug("Could not read the primary's WAL position (a write's caller reads from the primary, a "
					+ "token is applied unchecked): " + ex.getMessage());
			return UNKNOWN_POSITION;
		}
		this.primaryPosition.accumulateAndGet(position, Math::max);
		this.primaryRefreshedAtMillis = askedAtMillis;
		this.askedPosition = position;
		// Last: a reader that sees this time sees the answer that goes with it.
		this.askedAtNanos = askedAt;
		return position;
	}

	@Override
	public boolean satisfiedBy(ReplicaNode replica, long required) {
		return replica.position().replayed() >= required;
	}

	@Override
	public boolean claimRefresh(ReplicaNode replica) {
		return replica.position().claimCheck(REFRESH_INTERVAL_NANOS);
	}

	@Override
	public boolean refresh(ReplicaNode replica, Connection connection, long required) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(REPLAYED);
				ResultSet rs = statement.executeQuery()) {
			rs.next();
			long replayed = rs.getLong(1);
			replica.position().replayedTo(replayed);
			return replayed >= required;
		}
	}

	@Override
	public long maxWaitNanos() {
		return this.maxWaitNanos;
	}

	/**
	 * A token from another instance may be ahead of every position this one has seen: the
	 * primary is asked once (one query for every token issued before the question), and a
	 * token still ahead of it is forged or from another database. When the primary cannot
	 * answer now (another thread is asking it, its breaker is open, it is unreachable)
	 * the token is applied unchecked: a token can only send its own holder's reads to the
	 * primary, while ignoring a real one could serve that holder data older than its
	 * write. The question goes through the primary's breaker, so it never waits out a
	 * {@code connection-timeout} on a primary already known to be gone.
	 */
	@Override
	protected boolean accepts(ConsistencyToken token) {
		long position = token.position();
		if (position == 0) {
			return false;
		}
		if (position == UNKNOWN_POSITION || position <= this.primaryPosition.get()) {
			return true;
		}
		if (this.primaryRefreshedAtMillis >= token.issuedAtMillis() + CLOCK_SKEW_MILLIS) {
			return false;
		}
		if (!this.primaryRefresh.tryLock()) {
			return true;
		}
		try {
			if (position <= this.primaryPosition.get()) {
				return true;
			}
			if (this.primaryRefreshedAtMillis >= token.issuedAtMillis() + CLOCK_SKEW_MILLIS) {
				return false;
			}
			if (askPrimary(System.nanoTime()) == UNKNOWN_POSITION) {
				// Unanswered: applied unchecked.
				return true;
			}
		}
		finally {
			this.primaryRefresh.unlock();
		}
		return position <= this.primaryPosition.get();
	}

	/**
	 * The highest WAL position of the primary this instance has seen.
	 * @return the position, 0 before the first write
	 */
	public long primaryPosition() {
		return this.primaryPosition.get();
	}

}
