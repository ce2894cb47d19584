package dev.pool.internal.routing;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.DataSource;

import dev.pool.internal.breaker.PrimaryGuard;
import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.datasource.Waiters;
import dev.pool.internal.replica.ReplicaSet;

import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The application's {@link DataSource}: hands out connections that pick their pool at the
 * first statement, so the transaction's read-only flag and the {@code @ReadOnly} scope
 * are known by then. Its only public methods are the {@link DataSource} ones: replica
 * state and draining are changed through {@link ReplicaSet} and {@link ConnectionGate},
 * which the application does not see.
 * <p>
 * Routing rules: a connection marked read-only (a read-only transaction) goes to a
 * replica; a connection inside a read-write transaction goes to the primary
 * (read-your-writes); outside transactions, a connection inside a {@code @ReadOnly}
 * method goes to a replica; everything else goes to the primary.
 */
public final class RoutingDataSource implements DataSource {

	private static final int ISOLATION_UNKNOWN = -1;

	private final ManagedPool primary;

	private final ReplicaSet replicas;

	private final ReadRouter reads;

	private final ReadOnlyContext context;

	private final RoutingObserver observer;

	private final Consistency consistency;

	private final boolean defaultAutoCommit;

	private final boolean tracksWrites;

	private final PrimaryGuard guard;

	private final Tenancy tenancy;

	// Bound once, so a borrow without a tenant allocates nothing but its connection.
	private final Tenancy.Untenanted untenanted;

	private volatile PoolAccess access;

	// Learned once so getTransactionIsolation() never forces a connection to be chosen
	// early. Deliberately not volatile: a thread that misses the write only asks a
	// connection again, and every borrow reads this field.
	private int defaultIsolation;

	RoutingDataSource(ManagedPool primary, ReplicaSet replicas, ReadRouter reads, ReadOnlyContext context,
			RoutingObserver observer, Consistency consistency, PrimaryGuard primaryGuard, Waiters waiters,
			ConnectionGate gate, Tenancy tenancy, boolean defaultAutoCommit, int defaultIsolation) {
		this.primary = primary;
		this.replicas = replicas;
		this.reads = reads;
		this.context = context;
		this.observer = observer;
		this.consistency = consistency;
		this.tracksWrites = consistency.tracksWrites();
		this.guard = primaryGuard;
		this.access = PoolAccess.open(primaryGuard, waiters);
		this.defaultAutoCommit = defaultAutoCommit;
		this.defaultIsolation = defaultIsolation;
		this.tenancy = tenancy;
		this.untenanted = () -> new RoutingConnection(this, this.defaultAutoCommit);
		gate.attach(this);
	}

	/**
	 * Starts building a router over a primary pool.
	 * @param primary the primary pool
	 * @return a builder
	 */
	public static RoutingDataSourceBuilder builder(ManagedPool primary) {
		return new RoutingDataSourceBuilder(primary);
	}

	@Override
	public Connection getConnection() throws SQLException {
		return this.tenancy.connection(this.untenanted);
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		throw new SQLFeatureNotSupportedException(
				"Connections with explicit credentials are not routed; configure credentials per pool under app.datasource");
	}

	/**
	 * Tells the thread's {@code @ReadOnly} scope that a replica connection was closed by
	 * its pool, so the read may run again elsewhere; the replica itself was ejected when
	 * the failure happened, if it means the server is gone.
	 */
	void replicaConnectionBroke() {
		this.context.replicaBroke();
	}

	/** A primary connection went back intact after running statements. */
	void primaryReturned() {
		this.guard.returned();
	}

	void refuseNewConnections() {
		this.access = PoolAccess.draining();
	}

	/**
	 * Chooses the pool for a connection about to run its first statement and borrows from
	 * it.
	 */
	Connection fetch(RoutingConnection connection, boolean readOnlyFlag) throws SQLException {
		if (isRead(readOnlyFlag)) {
			return this.reads.read(connection, this);
		}
		return primaryFor(connection, RoutingReason.WRITE);
	}

	Connection primaryFor(RoutingConnection connection, RoutingReason reason) throws SQLException {
		this.observer.routed(this.primary, reason);
		return connection.attach(this.primary, this.access.primary(this.primary));
	}

	Connection borrowReplica(ManagedPool replica) throws SQLException {
		return this.access.replica(replica);
	}

	Consistency consistency() {
		return this.consistency;
	}

	boolean tracksWrites() {
		return this.tracksWrites;
	}

	// Ordered so a plain write and a @ReadOnly read outside a transaction each cost two
	// thread-local lookups: whether a transaction is active only matters inside a
	// @ReadOnly scope (a read-write transaction there still writes).
	private boolean isRead(boolean readOnlyFlag) {
		if (readOnlyFlag) {
			return true;
		}
		if (this.context.isReadOnly() && !TransactionSynchronizationManager.isActualTransactionActive()) {
			return true;
		}
		return TransactionSynchronizationManager.isCurrentTransactionReadOnly();
	}

	boolean defaultAutoCommit() {
		return this.defaultAutoCommit;
	}

	int defaultIsolation() {
		return this.defaultIsolation;
	}

	boolean isDefaultIsolationKnown() {
		return this.defaultIsolation != ISOLATION_UNKNOWN;
	}

	void learnDefaultIsolation(int isolation) {
		this.defaultIsolation = isolation;
	}

	static int unknownIsolation() {
		return ISOLATION_UNKNOWN;
	}

	@Override
	public PrintWriter getLogWriter() throws SQLException {
		return this.primary.dataSource().getLogWriter();
	}

	@Override
	public void setLogWriter(PrintWriter out) throws SQLException {
		this.primary.dataSource().setLogWriter(out);
	}

	@Override
	public void setLoginTimeout(int seconds) throws SQLException {
		this.primary.dataSource().setLoginTimeout(seconds);
	}

	@Override
	public int getLoginTimeout() throws SQLException {
		return this.primary.dataSource().getLoginTimeout();
	}

	@Override
	public Logger getParentLogger() throws SQLFeatureNotSupportedException {
		throw new SQLFeatureNotSupportedException();
	}

	// Deliberately not unwrappable to the pools: Boot's metrics and health would
	// otherwise report the primary pool a second time under this bean's name.
	@Override
	public <T> T unwrap(Class<T> iface) throws SQLException {
		if (iface.isInstance(this)) {
			return iface.cast(this);
		}
		throw new SQLException("RoutingDataSource does not wrap " + iface.getName());
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) {
		return iface.isInstance(this);
	}

	@Override
	public String toString() {
		return "RoutingDataSource[primary=" + this.primary + ", replicas=" + this.replicas.describe() + "]";
	}

}
