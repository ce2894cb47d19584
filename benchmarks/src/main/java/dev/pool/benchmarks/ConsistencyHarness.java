package dev.pool.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

import dev.pool.ReadYourWrites;
import dev.pool.test.EmbeddedPostgresCluster;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * What read-your-writes costs, on the embedded PostgreSQL primary + replica: a one-row
 * INSERT in a transaction and in autocommit mode and a batch of ten in autocommit mode,
 * with read-your-writes on and off, and {@code @ReadOnly} reads carrying a token the
 * replica has already replayed against reads with none. The two applications run side by
 * side on one cluster; each round measures both, in alternating order, so drift on a
 * shared machine cancels out.
 */
public final class ConsistencyHarness {

	private static final String DB = "bench_ryw";

	private static final int CLIENTS = 8;

	private static final int ROUNDS = 9;

	private static final Duration WARMUP = Duration.ofSeconds(2);

	private static final Duration MEASURE = Duration.ofSeconds(6);

	private ConsistencyHarness() {
	}

	public static void main(String[] args) throws Exception {
		Path out = Path.of(args.length > 0 ? args[0] : "docs/benchmarks");
		Files.createDirectories(out);
		List<Result> results = new ArrayList<>();
		try (EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder().replicas(1).start()) {
			cluster.createDatabase(DB);
			try (Connection connection = cluster.primary().connect(DB);
					Statement statement = connection.createStatement()) {
				statement.execute("CREATE TABLE bench_write (id bigserial PRIMARY KEY, v int)");
			}
			cluster.awaitReplication();
			try (ConfigurableApplicationContext on = BenchApp.start(cluster, DB,
					Map.of("app.datasource.primary.leak-detection-threshold", "0"));
					ConfigurableApplicationContext off = BenchApp.start(cluster, DB,
							Map.of("app.datasource.primary.leak-detection-threshold", "0",
									"app.datasource.consistency.read-your-writes", "false"))) {
				Map<String, IntConsumer> pairs = new LinkedHashMap<>();
				BenchApp.Writer writerOn = on.getBean(BenchApp.Writer.class);
				BenchApp.Writer writerOff = off.getBean(BenchApp.Writer.class);
				BenchApp.Reader readerOn = on.getBean(BenchApp.Reader.class);
				BenchApp.Reader readerOff = off.getBean(BenchApp.Reader.class);
				ReadYourWrites readYourWrites = on.getBean(ReadYourWrites.class);
				String token = readYourWrites.callWith(null, () -> {
					writerOn.insertInTransaction(0);
					return readYourWrites.currentToken().orElseThrow();
				});
				cluster.awaitReplication();
				pairs.put("transaction insert|on", writerOn::insertInTransaction);
				pairs.put("transaction insert|off", writerOff::insertInTransaction);
				pairs.put("autocommit insert|on", writerOn::insert);
				pairs.put("autocommit insert|off", writerOff::insert);
				pairs.put("batch of 10 inserts|on", writerOn::insertBatch);
				pairs.put("batch of 10 inserts|off", writerOff::insertBatch);
				pairs.put("read|with a satisfied token", (i) -> readYourWrites.runWith(token, readerOn::port));
				pairs.put("read|without a token", (i) -> readerOn.port());
				List<String> keys = new ArrayList<>(pairs.keySet());
				for (int round = 1; round <= ROUNDS; round++) {
					for (int pair = 0; pair < keys.size(); pair += 2) {
						// Alternate which side goes first from one round to the next.
						int first = (round % 2 == 1) ? pair : pair + 1;
						int second = (round % 2 == 1) ? pair + 1 : pair;
						for (int index : new int[] { first, second }) {
							String key = keys.get(index);
							results.add(run(round, key, pairs.get(key)));
						}
					}
				}
			}
		}
		write(out, results);
	}

	private static Result run(int round, String key, IntConsumer work) throws InterruptedException {
		drive(work, WARMUP, null);
		Histogram latency = new ConcurrentHistogram(3);
		AtomicLong errors = new AtomicLong();
		long start = System.nanoTime();
		drive(work, MEASURE, new Recorder(latency, errors));
		double seconds = (System.nanoTime() - start) / 1e9;
		String[] parts = key.split("\\|");
		Result result = new Result(round, parts[0], parts[1], latency.getTotalCount() / seconds,
				latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0, errors.get());
		System.out.println(result);
		return result;
	}

	private static void drive(IntConsumer work, Duration duration, Recorder recorder) throws InterruptedException {
		long end = System.nanoTime() + duration.toNanos();
		CountDownLatch done = new CountDownLatch(CLIENTS);
		for (int c = 0; c < CLIENTS; c++) {
			int client = c;
			Thread thread = new Thread(() -> {
				try {
					for (int i = 0; System.nanoTime() < end; i++) {
						long t0 = System.nanoTime();
						try {
							work.accept(client * 1_000_000 + i);
						}
						catch (RuntimeException ex) {
							if (recorder != null) {
								recorder.errors().incrementAndGet();
							}
						}
						if (recorder != null) {
							recorder.latency().recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
						}
					}
				}
				finally {
					done.countDown();
				}
			}, "consistency-client-" + c);
			thread.start();
		}
		done.await();
	}

	private static void write(Path out, List<Result> results) throws IOException {
		String machine = Runtime.getRuntime().availableProcessors() + " cores; " + System.getProperty("os.name") + " "
				+ System.getProperty("os.arch") + "; Java " + System.getProperty("java.version");
		StringBuilder csv = new StringBuilder("date,machine,round,workload,variant,per_second,p50_ms,p99_ms,errors\n");
		for (Result r : results) {
			csv.append(String.format(Locale.ROOT, "%s,%s,%d,%s,%s,%.0f,%.3f,%.3f,%d%n", LocalDate.now(), machine,
					r.round(), r.workload(), r.variant(), r.perSecond(), r.p50(), r.p99(), r.errors()));
		}
		Files.writeString(out.resolve("consistency.csv"), csv);
		CategoryChart chart = new CategoryChartBuilder().width(900)
			.height(500)
			.title("Read-your-writes: operations per second, " + CLIENTS + " clients (median of " + ROUNDS + " rounds)")
			.xAxisTitle("workload")
			.yAxisTitle("per second")
			.build();
		Map<String, Map<String, Double>> medians = new LinkedHashMap<>();
		for (Result r : results) {
			medians.computeIfAbsent(r.variant(), (key) -> new LinkedHashMap<>()).put(r.workload(), 0.0);
		}
		medians.forEach((variant,
				byWorkload) -> byWorkload.replaceAll((workload,
						zero) -> median(results.stream()
							.filter((r) -> r.variant().equals(variant) && r.workload().equals(workload))
							.mapToDouble(Result::perSecond)
							.sorted()
							.toArray())));
		medians.forEach((variant, byWorkload) -> {
			chart.addSeries(variant, new ArrayList<>(byWorkload.keySet()), new ArrayList<>(byWorkload.values()));
		});
		BitmapEncoder.saveBitmap(chart, out.resolve("consistency").toString(), BitmapEncoder.BitmapFormat.PNG);
		System.out.println("medians per second: " + medians);
	}

	private static double median(double[] sorted) {
		return (sorted.length == 0) ? 0 : sorted[sorted.length / 2];
	}

	private record Recorder(Histogram latency, AtomicLong errors) {
	}

	private record Result(int round, String workload, String variant, double perSecond, double p50, double p99,
			long errors) {

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "round %d %-20s %-24s %8.0f/s p50 %.3f ms p99 %.3f ms errors %d",
					this.round, this.workload, this.variant, this.perSecond, this.p50, this.p99, this.errors);
		}

	}

}
