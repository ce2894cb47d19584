package dev.pool.routing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import com.zaxxer.hikari.HikariPoolMXBean;

/**
 * Builds a {@link RoutingDataSource}; reads go to the primary when no replica is added.
 */
public final class RoutingDataSourceBuilder {

	private final RoutedPool primary;

	private List<RoutedPool> replicas = List.of();

	private LoadBalancing loadBalancing = LoadBalancing.ROUND_ROBIN;

	private boolean fallbackToPrimary = true;

	private ReadOnlyContext context = new ReadOnlyContext();

	private RoutingObserver observer = RoutingObserver.NONE;

	private boolean defaultAutoCommit = true;

	private Integer defaultIsolation;

	private PrimaryGuard primaryGuard = PrimaryGuard.NONE;

	RoutingDataSourceBuilder(RoutedPool primary) {
		this.primary = primary;
	}

	public RoutingDataSourceBuilder replicas(List<RoutedPool> replicas) {
		this.replicas = List.copyOf(replicas);
		return this;
	}

	public RoutingDataSourceBuilder loadBalancing(LoadBalancing loadBalancing) {
		this.loadBalancing = loadBalancing;
		return this;
	}

	public RoutingDataSourceBuilder fallbackToPrimary(boolean fallbackToPrimary) {
		this.fallbackToPrimary = fallbackToPrimary;
		return this;
	}

	public RoutingDataSourceBuilder context(ReadOnlyContext context) {
		this.context = context;
		return this;
	}

	public RoutingDataSourceBuilder observer(RoutingObserver observer) {
		this.observer = observer;
		return this;
	}

	/** The pools' auto-commit default, so connections need not be borrowed to learn it. */
	public RoutingDataSourceBuilder defaultAutoCommit(boolean defaultAutoCommit) {
		this.defaultAutoCommit = defaultAutoCommit;
		return this;
	}

	/** The pools' configured isolation level; when absent it is asked of the primary once. */
	public RoutingDataSourceBuilder defaultIsolation(Integer defaultIsolation) {
		this.defaultIsolation = defaultIsolation;
		return this;
	}

	/** Guards borrowing from the primary, for example with a circuit breaker. */
	public RoutingDataSourceBuilder primaryGuard(PrimaryGuard primaryGuard) {
		this.primaryGuard = primaryGuard;
		return this;
	}

	public RoutingDataSource build() {
		ReadRouter reads = this.replicas.isEmpty() ? new PrimaryOnlyReadRouter()
				: new ReplicaReadRouter(this.replicas.toArray(RoutedPool[]::new), LoadBalancer.of(this.loadBalancing),
						this.fallbackToPrimary, this.observer);
		int isolation = (this.defaultIsolation != null) ? this.defaultIsolation : askPrimaryIsolation();
		return new RoutingDataSource(this.primary, reads, this.context, this.observer, this.primaryGuard,
				this.defaultAutoCommit, isolation);
	}

	private int askPrimaryIsolation() {
		// Only from a connection the pool already holds: a primary allowed to start unreachable
		// (initialization-fail-timeout -1) must not block startup here. Otherwise the first
		// connection to attach teaches it.
		HikariPoolMXBean pool = this.primary.dataSource().getHikariPoolMXBean();
		if (pool == null || pool.getIdleConnections() == 0) {
			return RoutingDataSource.unknownIsolation();
		}
		try (Connection connection = this.primary.dataSource().getConnection()) {
			return connection.getTransactionIsolation();
		}
		catch (SQLException ex) {
			return RoutingDataSource.unknownIsolation();
		}
	}

}
