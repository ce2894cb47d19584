package dev.pool.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntSupplier;

import dev.pool.ConnectionUnavailableException;
import dev.pool.test.EmbeddedPostgresCluster;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Writes and reads per second around a primary failover by promotion: 4 threads write
 * (one-row insert in a transaction) and 4 call a {@code @ReadOnly} method for 20 s on a
 * primary + 2 replicas, the primary URL naming the primary and replica-1 with
 * {@code targetServerType=primary} and HikariCP's default 30 s
 * {@code connection-timeout}. The primary is killed (crash) at 4 s and replica-1 promoted
 * at 6 s, as an HA manager would after noticing. Counted in 250 ms buckets, after a 3 s
 * warm-up that is not counted.
 */
public final class PrimaryFailoverHarness {

	private static final int BUCKET_MILLIS = 250;

	private static final int SECONDS = 20;

	private static final long KILL_MILLIS = 4_000;

	private static final long PROMOTE_MILLIS = 6_000;

	private static final long WARMUP_MILLIS = 3_000;

	// A client that got 503 backs off a moment instead of spinning.
	private static final long FAILED_WRITE_PAUSE_MILLIS = 5;

	private PrimaryFailoverHarness() {
	}

	public static void main(String[] args) throws Exception {
		Path out = Path.of(args.length > 0 ? args[0] : "docs/benchmarks");
		Files.createDirectories(out);
		int buckets = SECONDS * 1000 / BUCKET_MILLIS;
		AtomicLongArray writes = new AtomicLongArray(buckets);
		AtomicLongArray failedWrites = new AtomicLongArray(buckets);
		AtomicLongArray reads = new AtomicLongArray(buckets);
		AtomicLongArray failedReads = new AtomicLongArray(buckets);
		AtomicLong firstFast503 = new AtomicLong(-1);
		AtomicLong firstNewPrimaryWrite = new AtomicLong(-1);
		AtomicLong slowestFailedWrite = new AtomicLong();
		try (EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder().replicas(2).start()) {
			cluster.createDatabase("promotion");
			int newPrimary = cluster.replica(1).port();
			String url = "jdbc:postgresql://127.0.0.1:" + cluster.primary().port() + ",127.0.0.1:" + newPrimary
					+ "/promotion?targetServerType=primary";
			try (ConfigurableApplicationContext app = BenchApp.start(cluster, "promotion",
					Map.of("app.datasource.primary.url", url, "app.datasource.primary.connection-timeout", "30s",
							"app.datasource.circuit-breaker.open-duration", "5s",
							"app.datasource.routing.health-check-interval", "1s"))) {
				BenchApp.Writer writer = app.getBean(BenchApp.Writer.class);
				BenchApp.Reader reader = app.getBean(BenchApp.Reader.class);
				writer.createTable();
				long start = System.nanoTime() + WARMUP_MILLIS * 1_000_000;
				CountDownLatch done = new CountDownLatch(8);
				for (int t = 0; t < 4; t++) {
					int id = t;
					run("writer-" + t, start, buckets, done, () -> writer.insertAndPort(id), (bucket, port, millis) -> {
						writes.incrementAndGet(bucket);
						if (port == newPrimary && firstNewPrimaryWrite.get() < 0) {
							firstNewPrimaryWrite.compareAndSet(-1, sinceStart(start));
						}
					}, (bucket, failure, millis) -> {
						failedWrites.incrementAndGet(bucket);
						slowestFailedWrite.accumulateAndGet(millis, Math::max);
						if (isFast503(failure) && firstFast503.get() < 0) {
							firstFast503.compareAndSet(-1, sinceStart(start));
						}
						pause();
					});
				}
				for (int t = 0; t < 4; t++) {
					run("reader-" + t, start, buckets, done, reader::port,
							(bucket, port, millis) -> reads.incrementAndGet(bucket),
							(bucket, failure, millis) -> failedReads.incrementAndGet(bucket));
				}
				sleepUntil(start, KILL_MILLIS);
				cluster.primary().kill();
				sleepUntil(start, PROMOTE_MILLIS);
				cluster.replica(1).promote();
				done.await();
			}
		}
		StringBuilder csv = new StringBuilder(
				"second,writes_per_s,failed_writes_per_s,reads_per_s,failed_reads_per_s\n");
		List<Double> x = new ArrayList<>();
		List<Double> writeRate = new ArrayList<>();
		List<Double> readRate = new ArrayList<>();
		List<Double> writeFailures = new ArrayList<>();
		long totalWrites = 0;
		long totalFailedWrites = 0;
		long totalReads = 0;
		long totalFailedReads = 0;
		double perSecond = 1000.0 / BUCKET_MILLIS;
		for (int b = 0; b < buckets; b++) {
			double second = b * BUCKET_MILLIS / 1000.0;
			x.add(second);
			writeRate.add(writes.get(b) * perSecond);
			readRate.add(reads.get(b) * perSecond);
			writeFailures.add(failedWrites.get(b) * perSecond);
			totalWrites += writes.get(b);
			totalFailedWrites += failedWrites.get(b);
			totalReads += reads.get(b);
			totalFailedReads += failedReads.get(b);
			csv.append(second)
				.append(',')
				.append((long) (writes.get(b) * perSecond))
				.append(',')
				.append((long) (failedWrites.get(b) * perSecond))
				.append(',')
				.append((long) (reads.get(b) * perSecond))
				.append(',')
				.append((long) (failedReads.get(b) * perSecond))
				.append('\n');
		}
		Files.writeString(out.resolve("primary-failover.csv"), csv);
		String events = "event,ms_after_kill\nfirst fast 503," + afterKill(firstFast503.get()) + "\nreplica-1 promoted,"
				+ (PROMOTE_MILLIS - KILL_MILLIS) + "\nfirst write on the new primary,"
				+ afterKill(firstNewPrimaryWrite.get()) + "\nslowest failed write (ms)," + slowestFailedWrite.get()
				+ "\nwrites ok," + totalWrites + "\nwrites failed," + totalFailedWrites + "\nreads ok," + totalReads
				+ "\nreads failed," + totalFailedReads + "\n";
		Files.writeString(out.resolve("primary-failover-events.csv"), events);
		XYChart chart = new XYChartBuilder().width(900)
			.height(500)
			.title("Primary killed at 4 s, replica-1 promoted at 6 s")
			.xAxisTitle("seconds")
			.build();
		chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
		chart.getStyler().setYAxisMin(0, 0.0);
		chart.getStyler().setYAxisMin(1, 0.0);
		chart.setYAxisGroupTitle(0, "reads per second");
		chart.setYAxisGroupTitle(1, "writes per second");
		chart.addSeries("reads/s", x, readRate);
		chart.addSeries("writes/s (right axis)", x, writeRate).setYAxisGroup(1);
		chart.addSeries("failed writes/s (right axis)", x, writeFailures).setYAxisGroup(1);
		BitmapEncoder.saveBitmap(chart, out.resolve("primary-failover").toString(), BitmapEncoder.BitmapFormat.PNG);
		System.out.print(events);
	}

	private static void run(String name, long start, int buckets, CountDownLatch done, IntSupplier operation,
			Outcome<Integer> succeeded, Outcome<RuntimeException> failed) {
		Thread thread = new Thread(() -> {
			try {
				while (true) {
					long began = System.nanoTime();
					if (began - start < 0) {
						operation.getAsInt();
						continue;
					}
					int bucket = (int) ((began - start) / 1_000_000 / BUCKET_MILLIS);
					if (bucket >= buckets) {
						return;
					}
					try {
						int port = operation.getAsInt();
						succeeded.accept(bucket, port, (System.nanoTime() - began) / 1_000_000);
					}
					catch (RuntimeException ex) {
						failed.accept(bucket, ex, (System.nanoTime() - began) / 1_000_000);
					}
				}
			}
			finally {
				done.countDown();
			}
		}, name);
		thread.start();
	}

	private static boolean isFast503(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ConnectionUnavailableException) {
				return true;
			}
		}
		return false;
	}

	private static long sinceStart(long start) {
		return (System.nanoTime() - start) / 1_000_000;
	}

	private static long afterKill(long sinceStart) {
		return (sinceStart < 0) ? -1 : sinceStart - KILL_MILLIS;
	}

	private static void pause() {
		try {
			Thread.sleep(FAILED_WRITE_PAUSE_MILLIS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void sleepUntil(long start, long millis) throws InterruptedException {
		long wait = millis - (System.nanoTime() - start) / 1_000_000;
		if (wait > 0) {
			Thread.sleep(wait);
		}
	}

	@FunctionalInterface
	private interface Outcome<T> {

		void accept(int bucket, T value, long millis);

	}

}
