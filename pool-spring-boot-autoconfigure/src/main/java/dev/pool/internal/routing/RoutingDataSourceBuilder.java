package dev.pool.internal.routing;

import java.sql.Connection;
import java.sql.SQLException;

import com.zaxxer.hikari.HikariPoolMXBean;
import dev.pool.LoadBalancing;
import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.datasource.Waiters;
import dev.pool.internal.replica.ReplicaSet;
import dev.pool.internal.topology.LiveTopology;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link RoutingDataSource}; reads go to the primary when the topology has no
 * replica and can never get one (a static topology without replicas).
 */
public final class RoutingDataSourceBuilder {

	private final LiveTopology topology;

	private Waiters waiters = new Waiters();

	private @Nullable ReplicaSet replicas;

	private int fallbackMaxConnections;

	private LoadBalancing loadBalancing = LoadBalancing.ROUND_ROBIN;

	private boolean fallbackToPrimary = true;

	private ReadOnlyContext context = new ReadOnlyContext();

	private RoutingObserver observer = RoutingObserver.NONE;

	private boolean defaultAutoCommit = true;

	private @Nullable Integer defaultIsolation;

	private ConnectionGate gate = new ConnectionGate();

	private Tenancy tenancy = Tenancy.NONE;

	private Consistency consistency = Consistency.NONE;

	private @Nullable ObservedBorrows observed;

	RoutingDataSourceBuilder(LiveTopology topology) {
		this.topology = topology;
		this.fallbackMaxConnections = Math.max(1, topology.current().primary().pool().settings().maximumPoolSize() / 2);
	}

	/**
	 * What ejects a replica when a read cannot get its connection.
	 * @param replicas the replica set over the same topology
	 * @return this builder
	 */
	public RoutingDataSourceBuilder replicas(ReplicaSet replicas) {
		this.replicas = replicas;
		return this;
	}

	/**
	 * How many primary connections reads that fell back may hold at once.
	 * @param fallbackMaxConnections at least 1 (default: half the primary's maximum pool
	 * size)
	 * @return this builder
	 */
	public RoutingDataSourceBuilder fallbackMaxConnections(int fallbackMaxConnections) {
		this.fallbackMaxConnections = fallbackMaxConnections;
		return this;
	}

	/**
	 * How a read picks among the available replicas.
	 * @param loadBalancing the strategy
	 * @return this builder
	 */
	public RoutingDataSourceBuilder loadBalancing(LoadBalancing loadBalancing) {
		this.loadBalancing = loadBalancing;
		return this;
	}

	/**
	 * Whether reads use the primary when no replica can serve them.
	 * @param fallbackToPrimary true to fall back, false to fail the read
	 * @return this builder
	 */
	public RoutingDataSourceBuilder fallbackToPrimary(boolean fallbackToPrimary) {
		this.fallbackToPrimary = fallbackToPrimary;
		return this;
	}

	/**
	 * The per-thread {@code @ReadOnly} scope the router consults.
	 * @param context the scope shared with the {@code @ReadOnly} interceptor
	 * @return this builder
	 */
	public RoutingDataSourceBuilder context(ReadOnlyContext context) {
		this.context = context;
		return this;
	}

	/**
	 * Counts every routing decision.
	 * @param counts the counters, or {@code null} to count nothing (no cost per borrow)
	 * @return this builder
	 */
	public RoutingDataSourceBuilder counts(@Nullable RoutingCounts counts) {
		this.observer = (counts != null) ? counts : RoutingObserver.NONE;
		return this;
	}

	/**
	 * Observes every routed borrow, if the observations' registry observes anything.
	 * @param observed the observations, or {@code null} to observe nothing (no cost per
	 * borrow, as with a registry that observes nothing)
	 * @return this builder
	 */
	public RoutingDataSourceBuilder observations(@Nullable ObservedBorrows observed) {
		this.observed = (observed != null && observed.observes()) ? observed : null;
		return this;
	}

	/**
	 * The pools' auto-commit default, so connections need not be borrowed to learn it.
	 * @param defaultAutoCommit the default
	 * @return this builder
	 */
	public RoutingDataSourceBuilder defaultAutoCommit(boolean defaultAutoCommit) {
		this.defaultAutoCommit = defaultAutoCommit;
		return this;
	}

	/**
	 * The pools' configured isolation level; when absent it is asked of the primary once.
	 * @param defaultIsolation a {@link Connection} isolation constant, or {@code null}
	 * @return this builder
	 */
	public RoutingDataSourceBuilder defaultIsolation(@Nullable Integer defaultIsolation) {
		this.defaultIsolation = defaultIsolation;
		return this;
	}

	/**
	 * The threads borrowing from the pools, whose waits end when a pool's server is known
	 * to be gone.
	 * @param waiters the registry the breaker and the replica set release
	 * @return this builder
	 */
	public RoutingDataSourceBuilder waiters(Waiters waiters) {
		this.waiters = waiters;
		return this;
	}

	/**
	 * The gate that refuses new connections at shutdown.
	 * @param gate the gate
	 * @return this builder
	 */
	public RoutingDataSourceBuilder gate(ConnectionGate gate) {
		this.gate = gate;
		return this;
	}

	/**
	 * What read-your-writes does on commits and reads.
	 * @param consistency the strategy, {@link Consistency#NONE} when off
	 * @return this builder
	 */
	public RoutingDataSourceBuilder consistency(Consistency consistency) {
		this.consistency = consistency;
		return this;
	}

	/**
	 * Where connections come from while a tenant is in scope.
	 * @param tenancy the tenancy, {@link Tenancy#NONE} when off
	 * @return this builder
	 */
	public RoutingDataSourceBuilder tenancy(Tenancy tenancy) {
		this.tenancy = tenancy;
		return this;
	}

	/**
	 * Builds the router.
	 * @return the router
	 */
	public RoutingDataSource build() {
		boolean replicasPossible = this.topology.current().isDynamic() || !this.topology.current().replicas().isEmpty();
		ReadRouter reads = replicasPossible
				? new ReplicaReadRouter(this.topology,
						(this.replicas != null) ? this.replicas : new ReplicaSet(this.topology, this.waiters),
						LoadBalancer.of(this.loadBalancing), this.fallbackToPrimary, this.observer, this.consistency)
				: new PrimaryOnlyReadRouter();
		int isolation = (this.defaultIsolation != null) ? this.defaultIsolation : askPrimaryIsolation();
		this.context.follow(this.topology);
		return new RoutingDataSource(this.topology, reads, this.context, this.observer, this.consistency,
				new FallbackLimit(this.fallbackMaxConnections), this.waiters, this.gate, this.tenancy,
				this.defaultAutoCommit, isolation, this.observed);
	}

	private int askPrimaryIsolation() {
		// Only from a connection the pool already holds: a primary allowed to start
		// unreachable (initialization-fail-timeout -1) must not block startup here.
		// Otherwise the first connection to attach teaches it.
		ManagedPool primary = this.topology.current().primary().pool();
		HikariPoolMXBean pool = primary.dataSource().getHikariPoolMXBean();
		if (pool == null || pool.getIdleConnections() == 0) {
			return RoutingDataSource.unknownIsolation();
		}
		try (Connection connection = primary.dataSource().getConnection()) {
			return connection.getTransactionIsolation();
		}
		catch (SQLException ex) {
			return RoutingDataSource.unknownIsolation();
		}
	}

}
