package dev.pool.internal.consistency;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import dev.pool.internal.topology.LiveTopology;
import dev.pool.internal.topology.PrimaryNode;
import dev.pool.internal.topology.ReplicaNode;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Read-your-writes by a position that only grows along one history (PostgreSQL's WAL
 * position, a MariaDB GTID's sequence number): a replica serves a writer's reads once it
 * has applied up to the writer's position. Subclasses say how a write's position, the
 * primary's and a replica's are read; this class asks the primary once for many callers,
 * caches each replica's position, and judges tokens from outside.
 * <p>
 * Outside a web request nothing is asked at the write: the caller's next read (or a token
 * handed out) asks the primary once, and one answer serves every caller whose write was
 * acknowledged before the question was sent (compared on {@link System#nanoTime()},
 * strictly later).
 */
public abstract class ReplayPositionConsistency extends ReadYourWritesSupport {

	private static final Log logger = LogFactory.getLog(ReplayPositionConsistency.class);

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
	protected ReplayPositionConsistency(LiveTopology topology, Duration maxWait, Duration ttl) {
		super(ttl);
		this.topology = topology;
		this.maxWaitNanos = maxWait.toNanos();
	}

	/**
	 * Reads the primary's position, past every commit it acknowledged before the
	 * question.
	 * @param primary a connection to the primary
	 * @return the position, {@link #UNKNOWN_POSITION} when the answer tells none
	 * @throws SQLException when it cannot be read
	 */
	protected abstract long primaryPosition(Connection primary) throws SQLException;

	/**
	 * Reads how far a replica has applied.
	 * @param replica a connection to the replica
	 * @return the position
	 * @throws SQLException when it cannot be read
	 */
	protected abstract long appliedPosition(Connection replica) throws SQLException;

	@Override
	public boolean mayWrite(String sql) {
		return StatementKinds.mayWrite(sql);
	}

	@Override
	public void positionUnknown() {
		recordWrite(UNKNOWN_POSITION);
	}

	/**
	 * Records the current caller's write at a position read on its own connection.
	 * @param position the position the write reached, {@link #UNKNOWN_POSITION} when it
	 * could not be told
	 */
	protected final void written(long position) {
		if (position != UNKNOWN_POSITION) {
			this.primaryPosition.accumulateAndGet(position, Math::max);
		}
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
	protected final long positionAfter(long sinceNanos) {
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
		try (Connection connection = primary.guard().borrow(primary.pool())) {
			position = primaryPosition(connection);
		}
		catch (SQLException ex) {
			logger.debug("Could not read the primary's position (a write's caller reads from the primary, a "
					+ "token is applied unchecked): " + ex.getMessage());
			return UNKNOWN_POSITION;
		}
		if (position == UNKNOWN_POSITION) {
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
	public final boolean satisfiedBy(ReplicaNode replica, long required) {
		return replica.position().replayed() >= required;
	}

	@Override
	public final boolean claimRefresh(ReplicaNode replica) {
		return replica.position().claimCheck(REFRESH_INTERVAL_NANOS);
	}

	@Override
	public final boolean refresh(ReplicaNode replica, Connection connection, long required) throws SQLException {
		long applied = appliedPosition(connection);
		replica.position().replayedTo(applied);
		return applied >= required;
	}

	@Override
	public final long maxWaitNanos() {
		return this.maxWaitNanos;
	}

	/**
	 * A token from another instance may be ahead of every position this one has seen: the
	 * primary is asked once (one query for every token issued before the question), and a
	 * token still ahead of it is forged or from another database; a token of another
	 * flavour is from another kind of database. When the primary cannot answer now
	 * (another thread is asking it, its breaker is open, it is unreachable) the token is
	 * applied unchecked: a token can only send its own holder's reads to the primary,
	 * while ignoring a real one could serve that holder data older than its write. The
	 * question goes through the primary's breaker, so it never waits out a
	 * {@code connection-timeout} on a primary already known to be gone.
	 */
	@Override
	protected final boolean accepts(ConsistencyToken token) {
		long position = token.position();
		if (position == 0 || token.flavour() != flavour()) {
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
	 * The highest position of the primary this instance has seen.
	 * @return the position, 0 before the first write
	 */
	public final long primaryPosition() {
		return this.primaryPosition.get();
	}

}
