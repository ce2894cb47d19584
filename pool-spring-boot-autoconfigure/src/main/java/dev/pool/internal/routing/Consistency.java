package dev.pool.internal.routing;

import java.sql.Connection;
import java.sql.SQLException;

import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.topology.ReplicaNode;

/**
 * What read-your-writes needs from the router: taking the position a write reached when
 * it commits, and telling reads which replica has replayed the current caller's writes.
 * Implemented outside this package (by database); {@link #NONE} when it is off or there
 * is no replica, at no cost per borrow. The defaults are those of a strategy that cannot
 * tell where a replica's replay is: no replica is known to have caught up.
 */
public interface Consistency {

	/** Read-your-writes off: commits are plain, every replica serves every read. */
	Consistency NONE = new Consistency() {

		@Override
		public boolean tracksWrites() {
			return false;
		}

		@Override
		public boolean mayWrite(String sql) {
			return false;
		}

		@Override
		public void wroteOutsideTransaction(Connection physical) {
		}

		@Override
		public long required() {
			return 0;
		}

	};

	/**
	 * Commits a connection's transaction; on the primary, also remembers for the current
	 * caller that the commit may have written.
	 * @param pool the pool the connection belongs to
	 * @param physical the pool's connection
	 * @param mayHaveWritten whether a statement of the transaction may have changed data
	 * ({@link #mayWrite}); false does not prove the transaction wrote nothing (a
	 * {@code SELECT} may call a function that writes)
	 * @throws SQLException as {@link Connection#commit()} would
	 */
	default void commit(ManagedPool pool, Connection physical, boolean mayHaveWritten) throws SQLException {
		physical.commit();
	}

	/**
	 * Whether writes outside a transaction are followed at all, so statements created
	 * without their SQL need watching.
	 * @return false when nothing is taken from writes
	 */
	boolean tracksWrites();

	/**
	 * Whether a statement about to run on the primary may change data.
	 * @param sql the statement
	 * @return false when it only reads
	 */
	boolean mayWrite(String sql);

	/**
	 * The position of a caller whose write committed but whose position could not be
	 * read: no replica ever reaches it, so the caller reads from the primary while it
	 * lives.
	 */
	long UNKNOWN_POSITION = Long.MAX_VALUE;

	/**
	 * A write committed but its position could not be read (the connection broke right
	 * after it): the caller's reads must not go to a replica that may lack it.
	 */
	default void positionUnknown() {
	}

	/**
	 * A primary connection that may have written outside a transaction is about to go
	 * back to its pool: remember the position its writes reached.
	 * @param physical the primary's connection, still open
	 * @throws SQLException when the position cannot be read
	 */
	void wroteOutsideTransaction(Connection physical) throws SQLException;

	/**
	 * What the current caller's reads need.
	 * @return a position (or time) a replica must have reached, 0 when any replica will
	 * do
	 */
	long required();

	/**
	 * Whether a replica is known to have replayed what a read needs.
	 * @param replica the replica
	 * @param required what {@link #required()} returned
	 * @return true when it has
	 */
	default boolean satisfiedBy(ReplicaNode replica, long required) {
		return false;
	}

	/**
	 * Claims the right to ask a replica where its replay is, at most once in a short
	 * interval per replica, so positions are not queried on every read under load.
	 * @param replica the replica
	 * @return true when the caller should ask now
	 */
	default boolean claimRefresh(ReplicaNode replica) {
		return false;
	}

	/**
	 * Asks a replica, on a connection the read borrowed from it, where its replay is.
	 * @param replica the replica
	 * @param connection a connection of the replica's pool
	 * @param required what the read needs
	 * @return true when the replica has replayed it: the read may use this connection
	 * @throws SQLException when the replica cannot be asked
	 */
	default boolean refresh(ReplicaNode replica, Connection connection, long required) throws SQLException {
		return false;
	}

	/**
	 * How long a read may wait for a replica to catch up before it goes to the primary.
	 * @return nanoseconds, 0 not to wait
	 */
	default long maxWaitNanos() {
		return 0;
	}

}
