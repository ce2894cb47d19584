package dev.pool.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.baomidou.dynamic.datasource.DynamicRoutingDataSource;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.pool.autoconfigure.PoolProperties;
import dev.pool.autoconfigure.PoolSettingsFactory;
import dev.pool.datasource.DataSourcePools;
import dev.pool.datasource.PoolMetricsTrackerFactory;
import dev.pool.datasource.PoolSettings;
import dev.pool.datasource.PrimaryConnection;
import dev.pool.metrics.PoolMeterBinder;
import dev.pool.routing.CircuitBreakerPrimaryGuard;
import dev.pool.routing.RoutedPool;
import dev.pool.routing.RoutingCounts;
import dev.pool.routing.RoutingDataSource;
import dev.pool.routing.RoutingObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;

/**
 * Cost of borrowing a connection, touching it once and returning it, over a no-I/O JDBC
 * driver. The starter's pools are started by its own code from its default settings, and
 * every HikariCP baseline gets the same pool configuration, so only routing and bookkeeping
 * differ. Two set-ups, each compared like for like:
 * <ul>
 * <li>without Micrometer or Actuator: the starter's router (circuit breaker on, as by default)
 * against a raw HikariCP pool, Spring's {@link LazyConnectionDataSourceProxy} and
 * dynamic-datasource's {@link DynamicRoutingDataSource};</li>
 * <li>with Micrometer ({@code Metered}): the starter with its metrics bound (HikariCP's meters
 * for every pool plus routing counts) against a HikariCP pool with HikariCP's Micrometer
 * tracker, which is what Boot sets on a pool when a meter registry exists.</li>
 * </ul>
 * Every variant calls {@code nativeSQL} once, so lazy connections really borrow, and hands the
 * connection to a blackhole, as any real caller lets it escape (to JdbcTemplate, to a
 * transaction holder).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(4)
public class RoutingBenchmark {

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private HikariDataSource raw;

	private HikariDataSource rawMetered;

	private RoutingDataSource starter;

	private RoutingDataSource starterMetered;

	private LazyConnectionDataSourceProxy lazy;

	private DynamicRoutingDataSource dynamic;

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		Class.forName(StubDriver.class.getName());
		PoolProperties properties = new PoolProperties();
		PoolProperties.Pool replica = new PoolProperties.Pool();
		replica.setUrl(StubDriver.URL);
		properties.getReplicas().put("replica-1", replica);
		PoolSettingsFactory factory = new PoolSettingsFactory(properties, "bench");
		PoolSettings primary = factory.primary(new PrimaryConnection(StubDriver.URL, "bench", null,
				StubDriver.class.getName(), "benchmark"));
		List<PoolSettings> replicas = factory.replicas(primary);
		CircuitBreakerPrimaryGuard guard = new CircuitBreakerPrimaryGuard("primary",
				properties.getCircuitBreaker().getFailureThreshold(), properties.getCircuitBreaker().getOpenDuration());

		// Without Micrometer: no tracker on the pools, no routing counts.
		DataSourcePools pools = started(DataSourcePools.start(primary, replicas, "benchmark", null));
		this.starter = router(pools, RoutingObserver.NONE, guard);
		this.raw = started(new HikariDataSource(primary.toHikariConfig()));
		HikariDataSource rawReplica = started(new HikariDataSource(replicas.get(0).toHikariConfig()));
		this.lazy = new LazyConnectionDataSourceProxy(this.raw);
		this.lazy.setReadOnlyDataSource(rawReplica);
		this.lazy.setDefaultAutoCommit(true);
		this.lazy.setDefaultTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
		this.dynamic = new DynamicRoutingDataSource(Collections.emptyList());
		this.dynamic.setPrimary("master");
		this.dynamic.setStrict(false);
		this.dynamic.setP6spy(false);
		this.dynamic.setSeata(false);
		this.dynamic.addDataSource("master", this.raw);
		this.dynamic.addDataSource("slave", rawReplica);

		// With Micrometer: the starter's meters bound as its auto-configuration binds them.
		DataSourcePools meteredPools = started(
				DataSourcePools.start(primary, replicas, "benchmark", new PoolMetricsTrackerFactory()));
		RoutingCounts counts = new RoutingCounts(List.copyOf(meteredPools.pools().keySet()));
		this.starterMetered = router(meteredPools, counts, guard);
		new PoolMeterBinder(meteredPools, counts, this.starterMetered.replicaStates())
			.bindTo(new SimpleMeterRegistry());
		HikariConfig meteredConfig = primary.toHikariConfig();
		meteredConfig.setPoolName("primary-metered");
		meteredConfig.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(new SimpleMeterRegistry()));
		this.rawMetered = started(new HikariDataSource(meteredConfig));
	}

	private <T extends AutoCloseable> T started(T closeable) {
		this.closeables.add(closeable);
		return closeable;
	}

	// The same wiring as the auto-configuration's router bean.
	private static RoutingDataSource router(DataSourcePools pools, RoutingObserver observer,
			CircuitBreakerPrimaryGuard guard) {
		List<RoutedPool> routed = new ArrayList<>();
		pools.pools().forEach((name, pool) -> routed.add(
				new RoutedPool(name, pools.settings().get(name).role(), pool, routed.size())));
		return RoutingDataSource.builder(routed.get(0))
			.replicas(routed.subList(1, routed.size()))
			.observer(observer)
			.primaryGuard(guard)
			.defaultAutoCommit(true)
			.defaultIsolation(PoolSettingsFactory.isolationLevel(pools.settings().get(DataSourcePools.PRIMARY)))
			.build();
	}

	@TearDown(Level.Trial)
	public void tearDown() throws Exception {
		Collections.reverse(this.closeables);
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	@Benchmark
	public String rawHikari(Blackhole blackhole) throws SQLException {
		return write(this.raw, blackhole);
	}

	/**
	 * The same as {@link #rawHikari} but the connection never leaves the method, so the JIT can
	 * remove HikariCP's proxy object altogether: a best case no real caller gets.
	 */
	@Benchmark
	public String rawHikariScalarReplaced() throws SQLException {
		try (Connection connection = this.raw.getConnection()) {
			return connection.nativeSQL("SELECT 1");
		}
	}

	@Benchmark
	public String starterWrite(Blackhole blackhole) throws SQLException {
		return write(this.starter, blackhole);
	}

	@Benchmark
	public String starterRead(Blackhole blackhole) throws SQLException {
		return read(this.starter, blackhole);
	}

	@Benchmark
	public String springLazyProxyWrite(Blackhole blackhole) throws SQLException {
		return write(this.lazy, blackhole);
	}

	@Benchmark
	public String springLazyProxyRead(Blackhole blackhole) throws SQLException {
		return read(this.lazy, blackhole);
	}

	@Benchmark
	public String dynamicDatasource(Blackhole blackhole) throws SQLException {
		return write(this.dynamic, blackhole);
	}

	@Benchmark
	public String rawHikariMetered(Blackhole blackhole) throws SQLException {
		return write(this.rawMetered, blackhole);
	}

	@Benchmark
	public String starterWriteMetered(Blackhole blackhole) throws SQLException {
		return write(this.starterMetered, blackhole);
	}

	@Benchmark
	public String starterReadMetered(Blackhole blackhole) throws SQLException {
		return read(this.starterMetered, blackhole);
	}

	private static String write(javax.sql.DataSource dataSource, Blackhole blackhole) throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			blackhole.consume(connection);
			return connection.nativeSQL("SELECT 1");
		}
	}

	private static String read(javax.sql.DataSource dataSource, Blackhole blackhole) throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			blackhole.consume(connection);
			connection.setReadOnly(true);
			return connection.nativeSQL("SELECT 1");
		}
	}

}
