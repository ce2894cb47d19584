package dev.pool.internal.routing;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.concurrent.Executor;

import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.datasource.PoolRole;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A connection from the {@link RoutingDataSource} that borrows its physical connection
 * only when first needed, so the pool is chosen after the transaction manager has marked
 * it read-only (or not). Auto-commit, read-only and isolation set before that are
 * remembered and applied to the physical connection. Not thread-safe, like any JDBC
 * connection.
 */
final class RoutingConnection extends ForwardingConnection {

	private static final Log logger = LogFactory.getLog(RoutingConnection.class);

	private final RoutingDataSource router;

	// The flags below and the routing reason share one int, so the object stays at 32
	// bytes (a borrow allocates it; one field more would make it 40).
	private static final int AUTO_COMMIT = 1;

	private static final int READ_ONLY = 1 << 1;

	private static final int CLOSED = 1 << 2;

	// A statement that may change data ran on the primary outside a transaction: its
	// position is taken before the connection goes back (read-your-writes).
	private static final int MAY_HAVE_WRITTEN = 1 << 3;

	// A statement that may change data ran in the primary's open transaction: its commit
	// counts as a write without asking the server.
	private static final int WROTE_IN_TRANSACTION = 1 << 4;

	// A read that no replica could serve holds this primary connection: it counts
	// against fallback-max-connections until it goes back.
	private static final int FALLBACK = 1 << 5;

	// Why the pool was chosen, set with it: the reason's ordinal + 1 from this bit, 0
	// before.
	private static final int REASON_SHIFT = 8;

	private static final RoutingReason[] REASONS = RoutingReason.values();

	private int bits;

	private int isolation = -1;

	private @Nullable Connection target;

	private @Nullable ManagedPool pool;

	RoutingConnection(RoutingDataSource router, boolean defaultAutoCommit) {
		this.router = router;
		this.bits = defaultAutoCommit ? AUTO_COMMIT : 0;
	}

	private boolean is(int flag) {
		return (this.bits & flag) != 0;
	}

	private void set(int flag, boolean on) {
		this.bits = on ? (this.bits | flag) : (this.bits & ~flag);
	}

	private void reason(@Nullable RoutingReason reason) {
		int ordinal = (reason != null) ? reason.ordinal() + 1 : 0;
		this.bits = (this.bits & ((1 << REASON_SHIFT) - 1)) | (ordinal << REASON_SHIFT);
	}

	/**
	 * Called by the router with the physical connection it borrowed; applies pending
	 * state.
	 */
	Connection attach(ManagedPool pool, RoutingReason reason, Connection physical) throws SQLException {
		this.pool = pool;
		reason(reason);
		this.target = physical;
		try {
			// The pool hands connections out in its default auto-commit state (HikariCP
			// resets it on return), so only a change made before the first statement
			// needs applying.
			boolean autoCommit = is(AUTO_COMMIT);
			if (autoCommit != this.router.defaultAutoCommit()) {
				physical.setAutoCommit(autoCommit);
			}
			// Replica pools are read-only already; a read that fell back to the primary
			// keeps its flag.
			if (is(READ_ONLY) && pool.role() == PoolRole.PRIMARY) {
				physical.setReadOnly(true);
			}
			if (this.isolation != -1) {
				physical.setTransactionIsolation(this.isolation);
			}
			else if (!this.router.isDefaultIsolationKnown()) {
				this.router.learnDefaultIsolation(physical.getTransactionIsolation());
			}
		}
		catch (SQLException ex) {
			this.target = null;
			this.pool = null;
			reason(null);
			physical.close();
			throw ex;
		}
		return physical;
	}

	/** The connection is a read's that fell back to the primary. */
	void fellBack() {
		set(FALLBACK, true);
	}

	/**
	 * The pool the physical connection came from, {@code null} until the first statement.
	 */
	@Nullable ManagedPool pool() {
		return this.pool;
	}

	/**
	 * Why that pool was chosen, {@code null} until the first statement.
	 */
	@Nullable RoutingReason reason() {
		int ordinal = this.bits >>> REASON_SHIFT;
		return (ordinal != 0) ? REASONS[ordinal - 1] : null;
	}

	@Override
	Connection target() throws SQLException {
		Connection current = this.target;
		if (current != null) {
			return current;
		}
		if (is(CLOSED)) {
			throw new SQLException("Connection is closed", "08003");
		}
		return this.router.fetch(this, is(READ_ONLY));
	}

	// State kept locally until a physical connection exists.

	@Override
	public void setAutoCommit(boolean autoCommit) throws SQLException {
		checkOpen();
		Connection current = this.target;
		if (current != null) {
			current.setAutoCommit(autoCommit);
		}
		if (autoCommit != is(AUTO_COMMIT)) {
			// Turning auto-commit on commits the open transaction (JDBC): what it wrote
			// counts as a write outside a transaction.
			if (autoCommit && is(WROTE_IN_TRANSACTION)) {
				set(MAY_HAVE_WRITTEN, true);
			}
			set(WROTE_IN_TRANSACTION, false);
		}
		set(AUTO_COMMIT, autoCommit);
	}

	@Override
	public boolean getAutoCommit() throws SQLException {
		checkOpen();
		return (this.target != null) ? this.target.getAutoCommit() : is(AUTO_COMMIT);
	}

	@Override
	public void setReadOnly(boolean readOnly) throws SQLException {
		checkOpen();
		// A replica connection stays read-only whatever is asked; the primary follows the
		// flag.
		Connection current = this.target;
		if (current != null && this.pool != null && this.pool.role() == PoolRole.PRIMARY) {
			current.setReadOnly(readOnly);
		}
		set(READ_ONLY, readOnly);
	}

	@Override
	public boolean isReadOnly() throws SQLException {
		checkOpen();
		return is(READ_ONLY);
	}

	@Override
	public void setTransactionIsolation(int level) throws SQLException {
		checkOpen();
		if (this.target != null) {
			this.target.setTransactionIsolation(level);
		}
		this.isolation = level;
	}

	@Override
	public int getTransactionIsolation() throws SQLException {
		checkOpen();
		if (this.target != null) {
			return this.target.getTransactionIsolation();
		}
		if (this.isolation != -1) {
			return this.isolation;
		}
		return this.router.isDefaultIsolationKnown() ? this.router.defaultIsolation()
				: target().getTransactionIsolation();
	}

	@Override
	public void commit() throws SQLException {
		checkOpen();
		// Nothing ran yet: nothing to commit.
		Connection current = this.target;
		ManagedPool pool = this.pool;
		if (current != null && pool != null) {
			boolean wrote = is(WROTE_IN_TRANSACTION);
			set(WROTE_IN_TRANSACTION, false);
			this.router.consistency().commit(pool, current, wrote);
		}
	}

	@Override
	public void rollback() throws SQLException {
		checkOpen();
		set(WROTE_IN_TRANSACTION, false);
		// A connection the pool closed as broken has no transaction left on the server:
		// report the failure that broke it, not a second one from rolling back nothing.
		if (this.target != null && !this.target.isClosed()) {
			this.target.rollback();
		}
	}

	@Override
	public void close() throws SQLException {
		if (is(CLOSED)) {
			return;
		}
		set(CLOSED, true);
		Connection current = this.target;
		if (current != null) {
			this.target = null;
			// HikariCP closes a connection it found broken; the replica set heard why
			// when
			// it happened, the @ReadOnly scope hears it now.
			ManagedPool pool = this.pool;
			boolean broken = current.isClosed();
			if (pool != null && pool.role() == PoolRole.REPLICA) {
				if (broken) {
					this.router.replicaConnectionBroke();
				}
			}
			else if (!broken && pool != null) {
				this.router.primaryReturned(pool);
				if (is(MAY_HAVE_WRITTEN)) {
					takePosition(current);
				}
			}
			try {
				if (pool != null && !broken) {
					// Retired instead when its login is an old one (a rotation).
					pool.giveBack(current);
				}
				else {
					current.close();
				}
			}
			finally {
				if (is(FALLBACK)) {
					set(FALLBACK, false);
					this.router.fallbackReturned();
				}
			}
		}
	}

	@Override
	public boolean isClosed() throws SQLException {
		return is(CLOSED) || (this.target != null && this.target.isClosed());
	}

	@Override
	public SQLWarning getWarnings() throws SQLException {
		checkOpen();
		return (this.target != null) ? this.target.getWarnings() : null;
	}

	@Override
	public void clearWarnings() throws SQLException {
		checkOpen();
		if (this.target != null) {
			this.target.clearWarnings();
		}
	}

	private void takePosition(Connection current) {
		try {
			this.router.consistency().wroteOutsideTransaction(current);
		}
		catch (SQLException ex) {
			// The write committed but its position is lost with the connection (the pool
			// sees to that): the caller's reads go to the primary while the position
			// would have lived, never to a replica that may lack the write.
			this.router.consistency().positionUnknown();
			logger.debug("Could not read the position of a write outside a transaction; the caller reads from "
					+ "the primary: " + ex.getMessage());
		}
	}

	// A statement without its SQL up front tells what it runs when it runs it.
	@Override
	Statement created(Statement statement) {
		return (isPrimary() && this.router.tracksWrites()) ? new WriteWatchingStatement(statement, this) : statement;
	}

	/** Some SQL is about to run on the primary. */
	void running(String sql) {
		int flag = is(AUTO_COMMIT) ? MAY_HAVE_WRITTEN : WROTE_IN_TRANSACTION;
		if (!is(flag) && this.router.consistency().mayWrite(sql)) {
			set(flag, true);
		}
	}

	@Override
	Connection targetFor(String sql) throws SQLException {
		Connection current = target();
		if (isPrimary()) {
			running(sql);
		}
		return current;
	}

	private boolean isPrimary() {
		ManagedPool current = this.pool;
		return current != null && current.role() == PoolRole.PRIMARY;
	}

	private void checkOpen() throws SQLException {
		if (is(CLOSED)) {
			throw new SQLException("Connection is closed", "08003");
		}
	}

	@Override
	public DatabaseMetaData getMetaData() throws SQLException {
		Connection current = this.target;
		if (current != null) {
			return current.getMetaData();
		}
		checkOpen();
		// Instrumentation (datasource-micrometer, OpenTelemetry's JDBC agent) asks for
		// the URL right after getConnection(), before the transaction manager marks the
		// connection read-only: answering from the physical connection would route the
		// whole transaction to the primary.
		return UnroutedMetaData.of(this, this.router.primaryUrl());
	}

	/**
	 * The physical connection's metadata, routing the connection now if it is not yet.
	 */
	DatabaseMetaData routedMetaData() throws SQLException {
		return target().getMetaData();
	}

	@Override
	public boolean isValid(int timeout) throws SQLException {
		return !is(CLOSED) && target().isValid(timeout);
	}

	@Override
	public void abort(Executor executor) throws SQLException {
		set(CLOSED, true);
		Connection current = this.target;
		if (current != null) {
			this.target = null;
			current.abort(executor);
		}
	}

	@Override
	public String toString() {
		return "RoutingConnection[" + ((this.pool != null) ? this.pool.name() : "not yet routed") + "]";
	}

}
