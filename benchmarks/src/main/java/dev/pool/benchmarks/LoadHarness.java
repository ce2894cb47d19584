package dev.pool.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.test.EmbeddedPostgresCluster;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Per-request connections versus pooling on the embedded PostgreSQL: (a) a DriverManager
 * connection per request, (b) HikariCP with Boot's defaults, (c) the starter configured
 * like the sample app (and the same with leak detection off). A steady profile (16
 * clients) and a burst (200 clients, pool of 10). A request borrows a connection, runs
 * {@code SELECT 1}, and gives it back; a pool timeout counts as the 503 the web layer
 * would answer.
 */
public final class LoadHarness {

	static final String DB = "bench";

	private static final Duration WARMUP = Duration.ofSeconds(2);

	private static final Duration MEASURE = Duration.ofSeconds(10);

	private LoadHarness() {
	}

	public static void main(String[] args) throws Exception {
		Path out = Path.of(args.length > 0 ? args[0] : "docs/benchmarks");
		Files.createDirectories(out);
		List<Result> results = new ArrayList<>();
		try (EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder()
			.replicas(1)
			.maxConnections(400)
			.start()) {
			cluster.createDatabase(DB);
			for (Profile profile : List.of(new Profile("steady", 16), new Profile("burst", 200))) {
				results.add(run(profile, "per-request", perRequest(cluster), Long.MAX_VALUE, cluster));
				try (HikariDataSource boot = bootDefaults(cluster)) {
					results.add(run(profile, "boot-hikari", boot, boot.getConnectionTimeout(), cluster));
				}
				try (ConfigurableApplicationContext starter = BenchApp.start(cluster, DB, Map.of())) {
					results.add(run(profile, "starter", starter.getBean(DataSource.class), 5000, cluster));
				}
				// The sample turns leak detection on (30s); HikariCP then schedules a
				// task per borrow.
				try (ConfigurableApplicationContext starter = BenchApp.start(cluster, DB,
						Map.of("app.datasource.primary.leak-detection-threshold", "0"))) {
					results.add(run(profile, "starter-no-leak-detection", starter.getBean(DataSource.class), 5000,
							cluster));
				}
			}
		}
		write(out, results);
	}

	static Result run(Profile profile, String mode, DataSource dataSource, long timeoutMillis,
			EmbeddedPostgresCluster cluster) throws Exception {
		drive(profile.clients(), dataSource, WARMUP, null);
		long sessionsBefore = sessions(cluster);
		Stats stats = new Stats();
		long start = System.nanoTime();
		drive(profile.clients(), dataSource, MEASURE, stats);
		double seconds = (System.nanoTime() - start) / 1e9;
		long sessions = sessions(cluster) - sessionsBefore - 1;
		Histogram h = stats.latency;
		long requests = h.getTotalCount();
		long late = (timeoutMillis == Long.MAX_VALUE) ? -1
				: requests - h.getCountBetweenValues(0, (timeoutMillis + 100) * 1000);
		Result result = new Result(profile.name(), mode, profile.clients(), requests, requests / seconds,
				h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0,
				sessions * 1000.0 / requests, 100.0 * (1 - (double) sessions / requests),
				(double) stats.allocated.get() / requests, stats.timeouts.get(), stats.errors.get(), late);
		System.out.println(result);
		return result;
	}

	private static void drive(int clients, DataSource dataSource, Duration duration, Stats stats)
			throws InterruptedException {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		long end = System.nanoTime() + duration.toNanos();
		CountDownLatch done = new CountDownLatch(clients);
		for (int i = 0; i < clients; i++) {
			Thread client = new Thread(() -> {
				long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
				try {
					while (System.nanoTime() < end) {
						long t0 = System.nanoTime();
						try (Connection connection = dataSource.getConnection();
								Statement statement = connection.createStatement();
								ResultSet rs = statement.executeQuery("SELECT 1")) {
							rs.next();
						}
						catch (SQLTransientConnectionException ex) {
							if (stats != null) {
								stats.timeouts.incrementAndGet();
							}
						}
						catch (SQLException ex) {
							if (stats != null) {
								stats.errors.incrementAndGet();
							}
						}
						if (stats != null) {
							stats.latency.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
						}
					}
				}
				finally {
					if (stats != null) {
						stats.allocated.addAndGet(threads.getCurrentThreadAllocatedBytes() - allocatedBefore);
					}
					done.countDown();
				}
			}, "load-client-" + i);
			client.start();
		}
		done.await();
	}

	private static DataSource perRequest(EmbeddedPostgresCluster cluster) {
		String url = cluster.primary().jdbcUrl(DB);
		return new org.springframework.jdbc.datasource.DriverManagerDataSource(url, cluster.username(),
				cluster.password()) {
			@Override
			protected Connection getConnectionFromDriverManager(String url, java.util.Properties props)
					throws SQLException {
				return DriverManager.getConnection(url, props);
			}
		};
	}

	private static HikariDataSource bootDefaults(EmbeddedPostgresCluster cluster) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(cluster.primary().jdbcUrl(DB));
		dataSource.setUsername(cluster.username());
		dataSource.setPassword(cluster.password());
		return dataSource;
	}

	private static long sessions(EmbeddedPostgresCluster cluster) throws SQLException {
		try (Connection connection = cluster.primary().connect(DB);
				Statement statement = connection.createStatement();
				ResultSet rs = statement
					.executeQuery("SELECT sessions FROM pg_stat_database WHERE datname = '" + DB + "'")) {
			rs.next();
			return rs.getLong(1);
		}
	}

	private static void write(Path out, List<Result> results) throws IOException {
		StringBuilder csv = new StringBuilder("date,machine,profile,mode,clients,requests,throughput_rps,p50_ms,p99_ms,"
				+ "max_ms,connections_per_1000,reuse_pct,bytes_per_request,timeouts_503,errors,late_beyond_timeout\n");
		String machine = Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
				+ System.getProperty("os.arch") + ", Java " + System.getProperty("java.version");
		for (Result r : results) {
			csv.append(String.format(java.util.Locale.ROOT,
					"%s,%s,%s,%s,%d,%d,%.0f,%.3f,%.3f,%.3f,%.2f,%.3f,%.0f,%d,%d,%d%n", LocalDate.now(),
					machine.replace(',', ';'), r.profile(), r.mode(), r.clients(), r.requests(), r.throughput(),
					r.p50(), r.p99(), r.max(), r.connectionsPer1000(), r.reuse(), r.bytesPerRequest(), r.timeouts(),
					r.errors(), r.late()));
		}
		Files.writeString(out.resolve("load.csv"), csv);
		CategoryChart chart = new CategoryChartBuilder().width(900)
			.height(500)
			.title("Requests per second: a connection per request vs a pool (SELECT 1, embedded PostgreSQL)")
			.xAxisTitle("profile")
			.yAxisTitle("requests/s")
			.build();
		for (String mode : List.of("per-request", "boot-hikari", "starter", "starter-no-leak-detection")) {
			List<String> profiles = new ArrayList<>();
			List<Double> values = new ArrayList<>();
			for (Result r : results) {
				if (r.mode().equals(mode)) {
					profiles.add(r.profile() + " (" + r.clients() + " clients)");
					values.add(r.throughput());
				}
			}
			chart.addSeries(mode, profiles, values);
		}
		BitmapEncoder.saveBitmap(chart, out.resolve("load").toString(), BitmapEncoder.BitmapFormat.PNG);
	}

	record Profile(String name, int clients) {
	}

	private static final class Stats {

		final Histogram latency = new ConcurrentHistogram(3);

		final AtomicLong timeouts = new AtomicLong();

		final AtomicLong errors = new AtomicLong();

		final AtomicLong allocated = new AtomicLong();

	}

	record Result(String profile, String mode, int clients, long requests, double throughput, double p50, double p99,
			double max, double connectionsPer1000, double reuse, double bytesPerRequest, long timeouts, long errors,
			long late) {

		@Override
		public String toString() {
			return String.format(java.util.Locale.ROOT,
					"%-7s %-26s clients=%3d requests=%8d rps=%9.0f p50=%7.3fms p99=%8.3fms max=%9.3fms conn/1000=%7.2f reuse=%7.3f%% bytes/req=%6.0f 503=%d errors=%d late=%d",
					this.profile, this.mode, this.clients, this.requests, this.throughput, this.p50, this.p99, this.max,
					this.connectionsPer1000, this.reuse, this.bytesPerRequest, this.timeouts, this.errors, this.late);
		}

	}

}
