package dev.pool.internal.routing;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.DataSource;

import dev.pool.NoReplicaAvailableException;
import dev.pool.PrimaryUnavailableException;

import dev.pool.internal.datasource.JdbcUrls;
import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.datasource.Waiters;
import dev.pool.internal.replica.ReplicaSet;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.internal.topology.PrimaryNode;
import org.jspecify.annotations.Nullable;

import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The application's {@link DataSource}: hands out connections that pick their pool at the
 * first statement, so the transaction's read-only flag and the {@code @ReadOnly} scope
 * are known by then. Which pools exist is the {@link LiveTopology}'s: each borrow reads
 * its current snapshot once. Its only public methods are the {@link DataSource} ones:
 * replica state and draining are changed through {@link ReplicaSet} and
 * {@link ConnectionGate}, which the application does not see.
 * <p>
 * Routing rules: a connection marked read-only (a read-only transaction) goes to a
 * replica; a connection inside a read-write transaction goes to the primary
 * (read-your-writes); outside transactions, a connection inside a {@code @ReadOnly}
 * method goes to a replica; everything else goes to the primary.
 */
public final class RoutingDataSource implements DataSource {

	private static final int ISOLATION_UNKNOWN = -1;

	private final LiveTopology topology;

	private final ReadRouter reads;

	private final ReadOnlyContext context;

	private final RoutingObserver observer;

	private final Consistency consistency;

	private final boolean defaultAutoCommit;

	private final boolean tracksWrites;

	private final FallbackLimit fallbacks;

	private final Tenancy tenancy;

	// Null without an observation registry that observes anything: then a borrow pays
	// one field read for it.
	private final @Nullable ObservedBorrows observed;

	// Bound once, so a borrow without a tenant allocates nothing but its connection.
	private final Tenancy.Untenanted untenanted;

	private volatile PoolAccess access;

	// Learned once so getTransactionIsolation() never forces a connection to be chosen
	// early. Deliberately not volatile: a thread that misses the write only asks a
	// connection again, and every borrow reads this field.
	private int defaultIsolation;

	RoutingDataSource(LiveTopology topology, ReadRouter reads, ReadOnlyContext context, RoutingObserver observer,
			Consistency consistency, FallbackLimit fallbacks, Waiters waiters, ConnectionGate gate, Tenancy tenancy,
			boolean defaultAutoCommit, int defaultIsolation, @Nullable ObservedBorrows observed) {
		this.topology = topology;
		this.reads = reads;
		this.context = context;
		this.observer = observer;
		this.consistency = consistency;
		this.tracksWrites = consistency.tracksWrites();
		this.fallbacks = fallbacks;
		this.access = PoolAccess.open(waiters);
		this.defaultAutoCommit = defaultAutoCommit;
		this.defaultIsolation = defaultIsolation;
		this.tenancy = tenancy;
		this.observed = observed;
		this.untenanted = () -> new RoutingConnection(this, this.defaultAutoCommit);
		gate.attach(this);
	}

	/**
	 * Starts building a router over a topology.
	 * @param topology the nodes, as they change
	 * @return a builder
	 */
	public static RoutingDataSourceBuilder builder(LiveTopology topology) {
		return new RoutingDataSourceBuilder(topology);
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

	/**
	 * A primary connection went back intact after running statements: its breaker hears
	 * of it, if its pool is still the primary.
	 */
	void primaryReturned(ManagedPool pool) {
		PrimaryNode primary = this.topology.current().primary();
		if (primary.pool() == pool) {
			primary.guard().returned();
		}
	}

	/** A connection a read took from the primary, for want of a replica, went back. */
	void fallbackReturned() {
		this.fallbacks.release();
	}

	void refuseNewConnections() {
		this.access = PoolAccess.draining();
	}

	/**
	 * Chooses the pool for a connection about to run its first statement and borrows from
	 * it.
	 */
	Connection fetch(RoutingConnection connection, boolean readOnlyFlag) throws SQLException {
		ObservedBorrows observed = this.observed;
		if (observed != null) {
			return observed.observe(this, connection, readOnlyFlag);
		}
		return route(connection, readOnlyFlag);
	}

	Connection route(RoutingConnection connection, boolean readOnlyFlag) throws SQLException {
		if (isRead(readOnlyFlag)) {
			return this.reads.read(connection, this);
		}
		return primaryFor(connection, RoutingReason.WRITE);
	}

	Connection primaryFor(RoutingConnection connection, RoutingReason reason) throws SQLException {
		PrimaryNode primary = this.topology.current().primary();
		Connection physical;
		try {
			physical = this.access.primary(primary);
		}
		catch (PrimaryUnavailableException ex) {
			// The topology named another primary while this borrow waited on the old
			// one (its wait was released, or its breaker had opened): nothing ran yet, so
			// the borrow goes to the new primary once.
			PrimaryNode now = this.topology.current().primary();
			if (now == primary || now.pool() == primary.pool()) {
				throw ex;
			}
			primary = now;
			physical = this.access.primary(primary);
		}
		this.observer.routed(primary.pool(), reason);
		return connection.attach(primary.pool(), reason, physical);
	}

	/**
	 * A read no replica can serve, on the primary, as long as such reads hold fewer than
	 * {@code fallback-max-connections} primary connections.
	 */
	Connection fallback(RoutingConnection connection, @Nullable SQLException failure) throws SQLException {
		if (!this.fallbacks.tryAcquire()) {
			throw new NoReplicaAvailableException("No replica can serve a read-only request ("
					+ this.topology.current().describeReplicas() + ") and reads that fell back to the primary hold "
					+ this.fallbacks.limit() + " of its connections already (app.datasource.routing."
					+ "fallback-max-connections), so writes keep the rest", failure);
		}
		Connection physical;
		try {
			physical = primaryFor(connection, RoutingReason.FALLBACK);
		}
		catch (SQLException | RuntimeException ex) {
			this.fallbacks.release();
			throw ex;
		}
		connection.fellBack();
		return physical;
	}

	LiveTopology topology() {
		return this.topology;
	}

	/**
	 * The primary's URL without credentials: what a connection not routed yet reports.
	 */
	String primaryUrl() {
		return JdbcUrls.withoutCredentials(primaryPool().settings().url());
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
		return primaryPool().dataSource().getLogWriter();
	}

	@Override
	public void setLogWriter(PrintWriter out) throws SQLException {
		primaryPool().dataSource().setLogWriter(out);
	}

	@Override
	public void setLoginTimeout(int seconds) throws SQLException {
		primaryPool().dataSource().setLoginTimeout(seconds);
	}

	@Override
	public int getLoginTimeout() throws SQLException {
		return primaryPool().dataSource().getLoginTimeout();
	}

	private ManagedPool primaryPool() {
		return this.topology.current().primary().pool();
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
		return "RoutingDataSource[primary=" + primaryPool() + ", replicas=" + this.topology.current().describeReplicas()
				+ "]";
	}

}
