package dev.pool.internal.routing;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
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
final class RoutingConnection implements Connection {

	private static final Log logger = LogFactory.getLog(RoutingConnection.class);

	private final RoutingDataSource router;

	private boolean autoCommit;

	private boolean readOnly;

	private int isolation = -1;

	private boolean closed;

	private @Nullable Connection target;

	private @Nullable ManagedPool pool;

	// Why the pool was chosen; set with it.
	private @Nullable RoutingReason reason;

	// A statement that may change data ran on the primary outside a transaction: its
	// position is taken before the connection goes back (read-your-writes).
	private boolean mayHaveWritten;

	// A read that no replica could serve holds this primary connection: it counts
	// against fallback-max-connections until it goes back.
	private boolean fallback;

	RoutingConnection(RoutingDataSource router, boolean defaultAutoCommit) {
		this.router = router;
		this.autoCommit = defaultAutoCommit;
	}

	/**
	 * Called by the router with the physical connection it borrowed; applies pending
	 * state.
	 */
	Connection attach(ManagedPool pool, RoutingReason reason, Connection physical) throws SQLException {
		this.pool = pool;
		this.reason = reason;
		this.target = physical;
		try {
			// The pool hands connections out in its default auto-commit state (HikariCP
			// resets it on return), so only a change made before the first statement
			// needs applying.
			if (this.autoCommit != this.router.defaultAutoCommit()) {
				physical.setAutoCommit(this.autoCommit);
			}
			// Replica pools are read-only already; a read that fell back to the primary
			// keeps its flag.
			if (this.readOnly && pool.role() == PoolRole.PRIMARY) {
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
			this.reason = null;
			physical.close();
			throw ex;
		}
		return physical;
	}

	/** The connection is a read's that fell back to the primary. */
	void fellBack() {
		this.fallback = true;
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
		return this.reason;
	}

	private Connection target() throws SQLException {
		Connection current = this.target;
		if (current != null) {
			return current;
		}
		if (this.closed) {
			throw new SQLException("Connection is closed", "08003");
		}
		return this.router.fetch(this, this.readOnly);
	}

	// State kept locally until a physical connection exists.

	@Override
	public void setAutoCommit(boolean autoCommit) throws SQLException {
		checkOpen();
		if (this.target != null) {
			this.target.setAutoCommit(autoCommit);
		}
		this.autoCommit = autoCommit;
	}

	@Override
	public boolean getAutoCommit() throws SQLException {
		checkOpen();
		return (this.target != null) ? this.target.getAutoCommit() : this.autoCommit;
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
		this.readOnly = readOnly;
	}

	@Override
	public boolean isReadOnly() throws SQLException {
		checkOpen();
		return this.readOnly;
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
			this.router.consistency().commit(pool, current);
		}
	}

	@Override
	public void rollback() throws SQLException {
		checkOpen();
		// A connection the pool closed as broken has no transaction left on the server:
		// report the failure that broke it, not a second one from rolling back nothing.
		if (this.target != null && !this.target.isClosed()) {
			this.target.rollback();
		}
	}

	@Override
	public void close() throws SQLException {
		if (this.closed) {
			return;
		}
		this.closed = true;
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
				if (this.mayHaveWritten) {
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
				if (this.fallback) {
					this.fallback = false;
					this.router.fallbackReturned();
				}
			}
		}
	}

	@Override
	public boolean isClosed() throws SQLException {
		return this.closed || (this.target != null && this.target.isClosed());
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

	@Override
	@SuppressWarnings("unchecked")
	public <T> T unwrap(Class<T> iface) throws SQLException {
		if (iface.isInstance(this)) {
			return (T) this;
		}
		return target().unwrap(iface);
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) throws SQLException {
		return iface.isInstance(this) || target().isWrapperFor(iface);
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
	private Statement watched(Statement statement) {
		return (isPrimary() && this.router.tracksWrites()) ? new WriteWatchingStatement(statement, this) : statement;
	}

	/** Some SQL is about to run on the primary. */
	void running(String sql) {
		if (this.autoCommit && !this.mayHaveWritten && this.router.consistency().mayWrite(sql)) {
			this.mayHaveWritten = true;
		}
	}

	private Connection forStatement(String sql) throws SQLException {
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
		if (this.closed) {
			throw new SQLException("Connection is closed", "08003");
		}
	}

	// Everything else needs the physical connection.

	@Override
	public Statement createStatement() throws SQLException {
		return watched(target().createStatement());
	}

	@Override
	public PreparedStatement prepareStatement(String sql) throws SQLException {
		return forStatement(sql).prepareStatement(sql);
	}

	@Override
	public CallableStatement prepareCall(String sql) throws SQLException {
		return forStatement(sql).prepareCall(sql);
	}

	@Override
	public String nativeSQL(String sql) throws SQLException {
		return target().nativeSQL(sql);
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
	public void setCatalog(String catalog) throws SQLException {
		target().setCatalog(catalog);
	}

	@Override
	public String getCatalog() throws SQLException {
		return target().getCatalog();
	}

	@Override
	public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
		return watched(target().createStatement(resultSetType, resultSetConcurrency));
	}

	@Override
	public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
			throws SQLException {
		return forStatement(sql).prepareStatement(sql, resultSetType, resultSetConcurrency);
	}

	@Override
	public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
		return forStatement(sql).prepareCall(sql, resultSetType, resultSetConcurrency);
	}

	@Override
	public Map<String, Class<?>> getTypeMap() throws SQLException {
		return target().getTypeMap();
	}

	@Override
	public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
		target().setTypeMap(map);
	}

	@Override
	public void setHoldability(int holdability) throws SQLException {
		target().setHoldability(holdability);
	}

	@Override
	public int getHoldability() throws SQLException {
		return target().getHoldability();
	}

	@Override
	public Savepoint setSavepoint() throws SQLException {
		return target().setSavepoint();
	}

	@Override
	public Savepoint setSavepoint(String name) throws SQLException {
		return target().setSavepoint(name);
	}

	@Override
	public void rollback(Savepoint savepoint) throws SQLException {
		target().rollback(savepoint);
	}

	@Override
	public void releaseSavepoint(Savepoint savepoint) throws SQLException {
		target().releaseSavepoint(savepoint);
	}

	@Override
	public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
			throws SQLException {
		return watched(target().createStatement(resultSetType, resultSetConcurrency, resultSetHoldability));
	}

	@Override
	public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
			int resultSetHoldability) throws SQLException {
		return forStatement(sql).prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability);
	}

	@Override
	public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
			int resultSetHoldability) throws SQLException {
		return forStatement(sql).prepareCall(sql, resultSetType, resultSetConcurrency, resultSetHoldability);
	}

	@Override
	public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
		return forStatement(sql).prepareStatement(sql, autoGeneratedKeys);
	}

	@Override
	public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
		return forStatement(sql).prepareStatement(sql, columnIndexes);
	}

	@Override
	public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
		return forStatement(sql).prepareStatement(sql, columnNames);
	}

	@Override
	public Clob createClob() throws SQLException {
		return target().createClob();
	}

	@Override
	public Blob createBlob() throws SQLException {
		return target().createBlob();
	}

	@Override
	public NClob createNClob() throws SQLException {
		return target().createNClob();
	}

	@Override
	public SQLXML createSQLXML() throws SQLException {
		return target().createSQLXML();
	}

	@Override
	public boolean isValid(int timeout) throws SQLException {
		return !this.closed && target().isValid(timeout);
	}

	@Override
	public void setClientInfo(String name, String value) throws SQLClientInfoException {
		try {
			target().setClientInfo(name, value);
		}
		catch (SQLClientInfoException ex) {
			throw ex;
		}
		catch (SQLException ex) {
			throw new SQLClientInfoException(ex.getMessage(), ex.getSQLState(), ex.getErrorCode(), Map.of(), ex);
		}
	}

	@Override
	public void setClientInfo(Properties properties) throws SQLClientInfoException {
		try {
			target().setClientInfo(properties);
		}
		catch (SQLClientInfoException ex) {
			throw ex;
		}
		catch (SQLException ex) {
			throw new SQLClientInfoException(ex.getMessage(), ex.getSQLState(), ex.getErrorCode(), Map.of(), ex);
		}
	}

	@Override
	public String getClientInfo(String name) throws SQLException {
		return target().getClientInfo(name);
	}

	@Override
	public Properties getClientInfo() throws SQLException {
		return target().getClientInfo();
	}

	@Override
	public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
		return target().createArrayOf(typeName, elements);
	}

	@Override
	public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
		return target().createStruct(typeName, attributes);
	}

	@Override
	public void setSchema(String schema) throws SQLException {
		target().setSchema(schema);
	}

	@Override
	public String getSchema() throws SQLException {
		return target().getSchema();
	}

	@Override
	public void abort(Executor executor) throws SQLException {
		this.closed = true;
		Connection current = this.target;
		if (current != null) {
			this.target = null;
			current.abort(executor);
		}
	}

	@Override
	public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
		target().setNetworkTimeout(executor, milliseconds);
	}

	@Override
	public int getNetworkTimeout() throws SQLException {
		return target().getNetworkTimeout();
	}

	@Override
	public String toString() {
		return "RoutingConnection[" + ((this.pool != null) ? this.pool.name() : "not yet routed") + "]";
	}

}
