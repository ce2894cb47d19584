package dev.pool.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import dev.pool.test.EmbeddedPostgresCluster;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Four instances of one service share one PostgreSQL server under a login role with
 * {@code CONNECTION LIMIT 36}, through a bursty load: quiet (2 clients per instance), a
 * burst on two of the four instances (24 clients each, the other two stay quiet), quiet
 * again. Three modes, in paired rounds (each round runs every mode once, in turn): Boot's
 * default pool (10 per instance, as many kept idle), fixed pools sized to the budget (36
 * / 4 = 9 per instance) and the fleet budget with adaptive pools
 * ({@code fleet.max-connections: role}, {@code maximum-pool-size: 20},
 * {@code minimum-idle: 1}). A request borrows a connection, runs
 * {@code SELECT pg_sleep(0.01)} and gives it back; one that gets no connection within
 * {@code connection-timeout} (2 s) is the 503 the web layer answers. The role's sessions
 * are sampled from {@code pg_stat_activity} every 250 ms.
 */
public final class FleetHarness {

	private static final String DB = "fleet_bench";

	private static final String ROLE = "fleet_bench_app";

	private static final int LIMIT = 36;

	private static final int INSTANCES = 4;

	private static final int ROUNDS = 3;

	private static final List<Phase> PHASES = List.of(new Phase("quiet", Duration.ofSeconds(10), 2, 2),
			new Phase("burst", Duration.ofSeconds(20), 24, 2), new Phase("quiet-after", Duration.ofSeconds(25), 2, 2));

	private static final String FIXED = "fixed-budget-share-" + LIMIT / INSTANCES;

	private static final List<String> MODES = List.of("boot-default-10", FIXED, "fleet-adaptive");

	private FleetHarness() {
	}

	public static void main(String[] args) throws Exception {
		Path out = Path.of(args.length > 0 ? args[0] : "docs/benchmarks");
		Files.createDirectories(out);
		List<Result> results = new ArrayList<>();
		Map<String, List<Sample>> timelines = new LinkedHashMap<>();
		try (EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder()
			.replicas(0)
			.maxConnections(120)
			.start()) {
			cluster.createDatabase(DB);
			try (Connection admin = cluster.primary().connect(DB); Statement statement = admin.createStatement()) {
				statement.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD 'bench' CONNECTION LIMIT " + LIMIT);
				statement.execute("GRANT ALL ON DATABASE " + DB + " TO " + ROLE);
			}
			for (int round = 1; round <= ROUNDS; round++) {
				for (String mode : MODES) {
					List<Sample> timeline = new ArrayList<>();
					results.addAll(run(cluster, round, mode, timeline));
					if (round == 1) {
						timelines.put(mode, timeline);
					}
				}
			}
		}
		write(out, results, timelines);
	}

	private static Map<String, Object> settings(String mode, int instance) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.application.name", "bench-svc");
		properties.put("app.datasource.primary.username", ROLE);
		properties.put("app.datasource.primary.password", "bench");
		properties.put("app.datasource.primary.connection-timeout", "2s");
		properties.put("app.datasource.primary.idle-timeout", "10s");
		properties.put("app.datasource.primary.leak-detection-threshold", "0");
		switch (mode) {
			case "boot-default-10" -> {
				// HikariCP's defaults: 10, all kept idle. The fourth instance meets the
				// limit at startup; it starts only because it does not fail fast.
				properties.put("app.datasource.primary.maximum-pool-size", 10);
				properties.put("app.datasource.primary.minimum-idle", 10);
				properties.put("app.datasource.primary.initialization-fail-timeout", "-1");
			}
			case FIXED -> {
				properties.put("app.datasource.primary.maximum-pool-size", LIMIT / INSTANCES);
				properties.put("app.datasource.primary.minimum-idle", LIMIT / INSTANCES);
			}
			case "fleet-adaptive" -> {
				properties.put("app.datasource.primary.maximum-pool-size", 20);
				properties.put("app.datasource.primary.minimum-idle", 1);
				properties.put("app.datasource.fleet.max-connections", "role");
				properties.put("app.datasource.fleet.instance-id", "i" + instance);
			}
			default -> throw new IllegalArgumentException(mode);
		}
		return properties;
	}

	private static List<Result> run(EmbeddedPostgresCluster cluster, int round, String mode, List<Sample> timeline)
			throws Exception {
		String refusal = "too many connections for role \"" + ROLE + "\"";
		List<ConfigurableApplicationContext> instances = new ArrayList<>();
		List<Result> results = new ArrayList<>();
		try (Sampler sampler = new Sampler(cluster)) {
			for (int i = 0; i < INSTANCES; i++) {
				instances.add(BenchApp.start(cluster, DB, settings(mode, i)));
			}
			long start = System.nanoTime();
			sampler.start(start);
			for (Phase phase : PHASES) {
				long refusedBefore = cluster.primary().logLinesContaining(refusal);
				int samplesBefore = sampler.samples.size();
				Stats stats = new Stats();
				long phaseStart = System.nanoTime();
				drive(instances, phase, stats);
				double seconds = (System.nanoTime() - phaseStart) / 1e9;
				List<Sample> all = List.copyOf(sampler.samples);
				List<Sample> samples = all.subList(samplesBefore, all.size());
				Histogram h = stats.latency;
				Result result = new Result(round, mode, phase.name(), h.getTotalCount(), h.getTotalCount() / seconds,
						h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
						h.getMaxValue() / 1000.0, stats.timeouts.get(), stats.tooMany.get(), stats.errors.get(),
						cluster.primary().logLinesContaining(refusal) - refusedBefore,
						samples.stream().mapToInt(Sample::sessions).average().orElse(Double.NaN),
						samples.stream().mapToInt(Sample::idle).average().orElse(Double.NaN),
						samples.stream().mapToInt(Sample::sessions).max().orElse(0));
				System.out.println(result);
				results.add(result);
			}
			timeline.addAll(sampler.samples);
		}
		finally {
			instances.forEach(ConfigurableApplicationContext::close);
		}
		awaitNoSessions(cluster);
		return results;
	}

	// Instances 0 and 1 take the burst; 2 and 3 stay quiet.
	private static void drive(List<ConfigurableApplicationContext> instances, Phase phase, Stats stats)
			throws InterruptedException {
		long end = System.nanoTime() + phase.duration().toNanos();
		List<Thread> clients = new ArrayList<>();
		for (int i = 0; i < instances.size(); i++) {
			DataSource dataSource = instances.get(i).getBean(DataSource.class);
			int count = (i < 2) ? phase.busyClients() : phase.quietClients();
			for (int c = 0; c < count; c++) {
				clients.add(new Thread(() -> {
					while (System.nanoTime() < end) {
						long t0 = System.nanoTime();
						try (Connection connection = dataSource.getConnection();
								Statement statement = connection.createStatement()) {
							statement.execute("SELECT pg_sleep(0.01)");
						}
						catch (SQLTransientConnectionException ex) {
							stats.timeouts.incrementAndGet();
						}
						catch (SQLException | RuntimeException ex) {
							if (tooManyConnections(ex)) {
								stats.tooMany.incrementAndGet();
							}
							else {
								stats.errors.incrementAndGet();
							}
						}
						stats.latency.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
					}
				}, "fleet-client-" + i + "-" + c));
			}
		}
		clients.forEach(Thread::start);
		for (Thread client : clients) {
			client.join();
		}
	}

	// SQLState 53300 (too many connections) or 53400 (configuration limit) in the chain.
	private static boolean tooManyConnections(Throwable failure) {
		for (Throwable current = failure; current != null; current = current.getCause()) {
			if (current instanceof SQLException sql
					&& ("53300".equals(sql.getSQLState()) || "53400".equals(sql.getSQLState()))) {
				return true;
			}
		}
		return false;
	}

	private static void awaitNoSessions(EmbeddedPostgresCluster cluster) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (System.nanoTime() < deadline) {
			if (Sampler.count(cluster)[0] == 0) {
				return;
			}
			// Polled: the server ends sessions on its own time after the pools close.
			Thread.sleep(100);
		}
		throw new IllegalStateException("The role still has sessions 30 s after the instances closed");
	}

	private static void write(Path out, List<Result> results, Map<String, List<Sample>> timelines) throws IOException {
		String machine = Runtime.getRuntime().availableProcessors() + " cores; " + System.getProperty("os.name") + " "
				+ System.getProperty("os.arch") + "; Java " + System.getProperty("java.version");
		StringBuilder csv = new StringBuilder("date,machine,round,mode,phase,requests,throughput_rps,p50_ms,p99_ms,"
				+ "max_ms,timeouts_503,refused_53300_requests,other_errors,refused_53300_logins,mean_sessions,"
				+ "mean_idle_sessions,max_sessions\n");
		for (Result r : results) {
			csv.append(String.format(Locale.ROOT, "%s,%s,%d,%s,%s,%d,%.0f,%.2f,%.2f,%.2f,%d,%d,%d,%d,%.1f,%.1f,%d%n",
					LocalDate.now(), machine, r.round(), r.mode(), r.phase(), r.requests(), r.throughput(), r.p50(),
					r.p99(), r.max(), r.timeouts(), r.tooMany(), r.errors(), r.refusedLogins(), r.meanSessions(),
					r.meanIdle(), r.maxSessions()));
		}
		Files.writeString(out.resolve("fleet-rounds.csv"), csv);
		StringBuilder series = new StringBuilder("mode,seconds,sessions,idle_sessions\n");
		XYChart sessions = new XYChartBuilder().width(900)
			.height(450)
			.title("Sessions of the role (limit " + LIMIT + "), round 1: quiet 0-10 s, burst 10-30 s, quiet 30-55 s")
			.xAxisTitle("seconds")
			.yAxisTitle("server sessions")
			.build();
		for (Map.Entry<String, List<Sample>> entry : timelines.entrySet()) {
			List<Double> x = new ArrayList<>();
			List<Double> y = new ArrayList<>();
			for (Sample sample : entry.getValue()) {
				series.append(String.format(Locale.ROOT, "%s,%.2f,%d,%d%n", entry.getKey(), sample.seconds(),
						sample.sessions(), sample.idle()));
				x.add(sample.seconds());
				y.add((double) sample.sessions());
			}
			if (!x.isEmpty()) {
				sessions.addSeries(entry.getKey(), x, y).setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
			}
		}
		Files.writeString(out.resolve("fleet-sessions.csv"), series);
		BitmapEncoder.saveBitmap(sessions, out.resolve("fleet-sessions").toString(), BitmapEncoder.BitmapFormat.PNG);
		CategoryChart p99 = new CategoryChartBuilder().width(900)
			.height(450)
			.title("p99 latency per phase, median of " + ROUNDS + " rounds (SELECT pg_sleep(0.01), " + INSTANCES
					+ " instances)")
			.xAxisTitle("phase")
			.yAxisTitle("p99, ms")
			.build();
		for (String mode : MODES) {
			List<String> phases = new ArrayList<>();
			List<Double> values = new ArrayList<>();
			for (Phase phase : PHASES) {
				phases.add(phase.name());
				values.add(median(results.stream()
					.filter((r) -> r.mode().equals(mode) && r.phase().equals(phase.name()))
					.mapToDouble(Result::p99)
					.toArray()));
			}
			p99.addSeries(mode, phases, values);
		}
		BitmapEncoder.saveBitmap(p99, out.resolve("fleet-p99").toString(), BitmapEncoder.BitmapFormat.PNG);
		System.out.println();
		System.out.println("median [range] over " + ROUNDS + " rounds");
		for (String mode : MODES) {
			for (Phase phase : PHASES) {
				List<Result> rows = results.stream()
					.filter((r) -> r.mode().equals(mode) && r.phase().equals(phase.name()))
					.toList();
				System.out.println(String.format(Locale.ROOT,
						"%-21s %-11s p50 %s  p99 %s  max %s  rps %s  503 %s  53300 requests %s  53300 logins %s  "
								+ "idle sessions %s  max sessions %s",
						mode, phase.name(), summary(rows, Result::p50), summary(rows, Result::p99),
						summary(rows, Result::max), summary(rows, Result::throughput),
						summary(rows, (r) -> r.timeouts()), summary(rows, (r) -> r.tooMany()),
						summary(rows, (r) -> r.refusedLogins()), summary(rows, Result::meanIdle),
						summary(rows, (r) -> r.maxSessions())));
			}
		}
	}

	private static String summary(List<Result> rows, java.util.function.ToDoubleFunction<Result> value) {
		double[] values = rows.stream().mapToDouble(value).sorted().toArray();
		return String.format(Locale.ROOT, "%.1f [%.1f-%.1f]", median(values), values[0], values[values.length - 1]);
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		java.util.Arrays.sort(sorted);
		int n = sorted.length;
		return (n % 2 == 1) ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	}

	private record Phase(String name, Duration duration, int busyClients, int quietClients) {
	}

	private record Sample(double seconds, int sessions, int idle) {
	}

	private static final class Stats {

		final Histogram latency = new ConcurrentHistogram(3);

		final AtomicLong timeouts = new AtomicLong();

		final AtomicLong tooMany = new AtomicLong();

		final AtomicLong errors = new AtomicLong();

	}

	/** The role's sessions every 250 ms, on a superuser connection outside the limit. */
	private static final class Sampler implements AutoCloseable {

		private final EmbeddedPostgresCluster cluster;

		private final List<Sample> samples = new CopyOnWriteArrayList<>();

		private final AtomicBoolean running = new AtomicBoolean(true);

		private Thread thread;

		Sampler(EmbeddedPostgresCluster cluster) {
			this.cluster = cluster;
		}

		void start(long origin) {
			this.thread = new Thread(() -> {
				while (this.running.get()) {
					try {
						int[] counts = count(this.cluster);
						this.samples.add(new Sample((System.nanoTime() - origin) / 1e9, counts[0], counts[1]));
						Thread.sleep(250);
					}
					catch (SQLException ex) {
						throw new IllegalStateException(ex);
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			}, "fleet-sampler");
			this.thread.setDaemon(true);
			this.thread.start();
		}

		static int[] count(EmbeddedPostgresCluster cluster) throws SQLException {
			try (Connection connection = cluster.primary().connect(DB);
					Statement statement = connection.createStatement();
					ResultSet rs = statement.executeQuery("SELECT count(*), count(*) FILTER (WHERE state = 'idle') "
							+ "FROM pg_stat_activity WHERE usename = '" + ROLE + "'")) {
				rs.next();
				return new int[] { rs.getInt(1), rs.getInt(2) };
			}
		}

		@Override
		public void close() throws InterruptedException {
			this.running.set(false);
			if (this.thread != null) {
				this.thread.interrupt();
				this.thread.join(5_000);
			}
		}

	}

	private record Result(int round, String mode, String phase, long requests, double throughput, double p50,
			double p99, double max, long timeouts, long tooMany, long errors, long refusedLogins, double meanSessions,
			double meanIdle, int maxSessions) {

		@Override
		public String toString() {
			return String.format(Locale.ROOT,
					"round %d %-21s %-11s requests=%7d rps=%6.0f p50=%7.2fms p99=%8.2fms max=%8.2fms 503=%d "
							+ "53300-requests=%d errors=%d 53300-logins=%d sessions mean=%.1f idle=%.1f max=%d",
					this.round, this.mode, this.phase, this.requests, this.throughput, this.p50, this.p99, this.max,
					this.timeouts, this.tooMany, this.errors, this.refusedLogins, this.meanSessions, this.meanIdle,
					this.maxSessions);
		}

	}

}
