package dev.pool.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.baomidou.dynamic.datasource.DynamicRoutingDataSource;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.pool.autoconfigure.PoolAutoConfiguration;
import dev.pool.autoconfigure.PoolMetricsAutoConfiguration;
import dev.pool.internal.datasource.DataSourcePools;
import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.datasource.Waiters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
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

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;

/**
 * Cost of borrowing a connection, touching it once and returning it, over a no-I/O JDBC
 * driver. The starter is started through its own auto-configuration with its default
 * settings, as an application gets it, and every HikariCP baseline copies the
 * configuration of the starter's pool, so only routing and bookkeeping differ. Two
 * set-ups, each compared like for like:
 * <ul>
 * <li>without Micrometer or Actuator: the starter's router (circuit breaker on, as by
 * default) against a raw HikariCP pool, Spring's {@link LazyConnectionDataSourceProxy}
 * and dynamic-datasource's {@link DynamicRoutingDataSource};</li>
 * <li>with Micrometer ({@code Metered}): the starter with its metrics bound (HikariCP's
 * meters for every pool plus routing counts) against a HikariCP pool with HikariCP's
 * Micrometer tracker, which is what Boot sets on a pool when a meter registry
 * exists.</li>
 * </ul>
 * Every variant calls {@code nativeSQL} once, so lazy connections really borrow, and
 * hands the connection to a blackhole, as any real caller lets it escape (to
 * JdbcTemplate, to a transaction holder).
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

	private DataSource starter;

	private DataSource starterMetered;

	private DataSource starterConsistencyOff;

	private DataSource starterObserved;

	private LazyConnectionDataSourceProxy lazy;

	private DynamicRoutingDataSource dynamic;

	private ManagedPool starterPrimary;

	private Waiters waiters;

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		Class.forName(StubDriver.class.getName());

		// Without Micrometer or Actuator (hidden from the context): no tracker on the
		// pools, no routing counts, as in an application that has neither.
		AnnotationConfigApplicationContext plain = started(
				context(Plain.class, new FilteredClassLoader(MeterRegistry.class, Endpoint.class), Map.of()));
		this.starter = plain.getBean(DataSource.class);
		this.starterPrimary = plain.getBean(DataSourcePools.class).initialPrimary();
		this.waiters = plain.getBean(Waiters.class);
		// The same with read-your-writes off: what a read pays for asking whether its
		// caller wrote.
		this.starterConsistencyOff = started(
				context(Plain.class, new FilteredClassLoader(MeterRegistry.class, Endpoint.class),
						Map.of("app.datasource.consistency.read-your-writes", "false")))
			.getBean(DataSource.class);
		// The same with an ObservationRegistry whose one handler does nothing: the cost
		// of the pool.borrow observation itself, before any tracer or meter adds its own.
		this.starterObserved = started(
				context(Observed.class, new FilteredClassLoader(MeterRegistry.class, Endpoint.class),
						Map.of("app.datasource.observations.enabled", "true")))
			.getBean(DataSource.class);
		this.raw = started(new HikariDataSource(sameConfig(plain, "primary", "raw")));
		HikariDataSource rawReplica = started(new HikariDataSource(sameConfig(plain, "replica-1", "raw-replica")));
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

		// With Micrometer: the starter's meters bound by Boot's metrics
		// auto-configuration, against HikariCP with HikariCP's Micrometer tracker, which
		// is what Boot sets on a plain pool.
		AnnotationConfigApplicationContext metered = started(
				context(Metered.class, getClass().getClassLoader(), Map.of()));
		this.starterMetered = metered.getBean(DataSource.class);
		HikariConfig meteredConfig = sameConfig(plain, "primary", "raw-metered");
		meteredConfig.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(new SimpleMeterRegistry()));
		this.rawMetered = started(new HikariDataSource(meteredConfig));
	}

	// The starter as an application gets it: its auto-configuration, its default
	// settings.
	private static AnnotationConfigApplicationContext context(Class<?> configuration, ClassLoader classLoader,
			Map<String, Object> extra) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("app.datasource.primary.url", StubDriver.URL);
		properties.put("app.datasource.primary.username", "bench");
		properties.put("app.datasource.primary.driver-class-name", StubDriver.class.getName());
		properties.put("app.datasource.replicas.replica-1.url", StubDriver.URL);
		properties.put("app.datasource.routing.health-check-interval", "1h");
		properties.putAll(extra);
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.setClassLoader(classLoader);
		context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("benchmark", properties));
		context.register(configuration);
		context.refresh();
		return context;
	}

	// A HikariCP pool configured exactly like one of the starter's, without its tracker.
	private static HikariConfig sameConfig(AnnotationConfigApplicationContext context, String pool, String name) {
		HikariConfig config = new HikariConfig();
		context.getBean(pool + "DataSource", HikariDataSource.class).copyStateTo(config);
		config.setPoolName(name);
		config.setMetricsTrackerFactory(null);
		return config;
	}

	private <T extends AutoCloseable> T started(T closeable) {
		this.closeables.add(closeable);
		return closeable;
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
	 * The same as {@link #rawHikari} but the connection never leaves the method, so the
	 * JIT can remove HikariCP's proxy object altogether: a best case no real caller gets.
	 */
	@Benchmark
	public String rawHikariScalarReplaced() throws SQLException {
		try (Connection connection = this.raw.getConnection()) {
			return connection.nativeSQL("SELECT 1");
		}
	}

	/**
	 * The starter's own primary pool, borrowed from directly: the baseline of
	 * {@link #starterPoolThroughWaiters}.
	 */
	@Benchmark
	public String starterPoolDirect(Blackhole blackhole) throws SQLException {
		return write(this.starterPrimary.dataSource(), blackhole);
	}

	/**
	 * The same pool through the bookkeeping that lets an opening breaker or an ejection
	 * end the waits of threads inside {@code getConnection()}: its cost alone.
	 */
	@Benchmark
	public String starterPoolThroughWaiters(Blackhole blackhole) throws SQLException {
		try (Connection connection = this.waiters.borrow(this.starterPrimary, 0)) {
			blackhole.consume(connection);
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
	public String starterReadConsistencyOff(Blackhole blackhole) throws SQLException {
		return read(this.starterConsistencyOff, blackhole);
	}

	@Benchmark
	public String starterWriteObserved(Blackhole blackhole) throws SQLException {
		return write(this.starterObserved, blackhole);
	}

	@Benchmark
	public String starterReadObserved(Blackhole blackhole) throws SQLException {
		return read(this.starterObserved, blackhole);
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

	private static String write(DataSource dataSource, Blackhole blackhole) throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			blackhole.consume(connection);
			return connection.nativeSQL("SELECT 1");
		}
	}

	private static String read(DataSource dataSource, Blackhole blackhole) throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			blackhole.consume(connection);
			connection.setReadOnly(true);
			return connection.nativeSQL("SELECT 1");
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(PoolAutoConfiguration.class)
	static class Plain {

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(PoolAutoConfiguration.class)
	static class Observed {

		@Bean
		ObservationRegistry observationRegistry() {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler((context) -> true);
			return registry;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ PoolAutoConfiguration.class, PoolMetricsAutoConfiguration.class,
			MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
			SimpleMetricsExportAutoConfiguration.class })
	static class Metered {

	}

}
