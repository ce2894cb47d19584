package dev.pool.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.baomidou.dynamic.datasource.DynamicRoutingDataSource;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.pool.datasource.PoolRole;
import dev.pool.routing.CircuitBreakerPrimaryGuard;
import dev.pool.routing.RoutedPool;
import dev.pool.routing.RoutingCounts;
import dev.pool.routing.RoutingDataSource;
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
 * Cost of borrowing a connection, touching it once and returning it: the starter's router
 * (write and read routes, circuit breaker and routing counters on, as by default) against a raw
 * HikariCP pool, Spring's {@link LazyConnectionDataSourceProxy} and dynamic-datasource's
 * {@link DynamicRoutingDataSource}, all over the same no-I/O JDBC driver. Every variant calls
 * {@code nativeSQL} once, so lazy connections really borrow from the pool, and hands the
 * connection to a blackhole, as any real caller lets it escape (to JdbcTemplate, to a
 * transaction holder).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class RoutingBenchmark {

	private HikariDataSource primary;

	private HikariDataSource replica;

	private RoutingDataSource router;

	private LazyConnectionDataSourceProxy lazy;

	private DynamicRoutingDataSource dynamic;

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		Class.forName(StubDriver.class.getName());
		this.primary = pool("primary", false);
		this.replica = pool("replica-1", true);
		RoutedPool primaryPool = new RoutedPool("primary", PoolRole.PRIMARY, this.primary, 0);
		RoutedPool replicaPool = new RoutedPool("replica-1", PoolRole.REPLICA, this.replica, 1);
		this.router = RoutingDataSource.builder(primaryPool)
			.replicas(List.of(replicaPool))
			.observer(new RoutingCounts(List.of("primary", "replica-1")))
			.primaryGuard(new CircuitBreakerPrimaryGuard("primary", 5, java.time.Duration.ofSeconds(30)))
			.defaultAutoCommit(true)
			.defaultIsolation(Connection.TRANSACTION_READ_COMMITTED)
			.build();
		this.lazy = new LazyConnectionDataSourceProxy(this.primary);
		this.lazy.setReadOnlyDataSource(this.replica);
		this.lazy.setDefaultAutoCommit(true);
		this.lazy.setDefaultTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
		this.dynamic = new DynamicRoutingDataSource(Collections.emptyList());
		this.dynamic.setPrimary("master");
		this.dynamic.setStrict(false);
		this.dynamic.setP6spy(false);
		this.dynamic.setSeata(false);
		this.dynamic.addDataSource("master", this.primary);
		this.dynamic.addDataSource("slave", this.replica);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.primary.close();
		this.replica.close();
	}

	private static HikariDataSource pool(String name, boolean readOnly) {
		HikariConfig config = new HikariConfig();
		config.setPoolName(name);
		config.setJdbcUrl(StubDriver.URL);
		config.setMaximumPoolSize(10);
		config.setReadOnly(readOnly);
		return new HikariDataSource(config);
	}

	@Benchmark
	public String rawHikari(Blackhole blackhole) throws SQLException {
		try (Connection connection = this.primary.getConnection()) {
			blackhole.consume(connection);
			return connection.nativeSQL("SELECT 1");
		}
	}

	/**
	 * The same as {@link #rawHikari} but the connection never leaves the method, so the JIT can
	 * remove HikariCP's proxy object altogether: a best case no real caller gets.
	 */
	@Benchmark
	public String rawHikariScalarReplaced() throws SQLException {
		try (Connection connection = this.primary.getConnection()) {
			return connection.nativeSQL("SELECT 1");
		}
	}

	@Benchmark
	public String starterWrite(Blackhole blackhole) throws SQLException {
		try (Connection connection = this.router.getConnection()) {
			blackhole.consume(connection);
			return connection.nativeSQL("SELECT 1");
		}
	}

	@Benchmark
	public String starterRead(Blackhole blackhole) throws SQLException {
		try (Connection connection = this.router.getConnection()) {
			blackhole.consume(connection);
			connection.setReadOnly(true);
			return connection.nativeSQL("SELECT 1");
		}
	}

	@Benchmark
	public String springLazyProxyWrite(Blackhole blackhole) throws SQLException {
		try (Connection connection = this.lazy.getConnection()) {
			blackhole.consume(connection);
			return connection.nativeSQL("SELECT 1");
		}
	}

	@Benchmark
	public String springLazyProxyRead(Blackhole blackhole) throws SQLException {
		try (Connection connection = this.lazy.getConnection()) {
			blackhole.consume(connection);
			connection.setReadOnly(true);
			return connection.nativeSQL("SELECT 1");
		}
	}

	@Benchmark
	public String dynamicDatasource(Blackhole blackhole) throws SQLException {
		try (Connection connection = this.dynamic.getConnection()) {
			blackhole.consume(connection);
			return connection.nativeSQL("SELECT 1");
		}
	}

}
