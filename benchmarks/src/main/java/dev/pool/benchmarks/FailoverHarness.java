package dev.pool.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLongArray;

import dev.pool.test.EmbeddedPostgresCluster;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Reads per second and failed reads around a replica kill: 8 threads call a
 * {@code @ReadOnly} method for 14 s on a primary + 2 replicas; replica-1 is killed
 * (crash) at 4 s and restarted at 9 s. Counted in 250 ms buckets by the node that served
 * each read.
 */
public final class FailoverHarness {

	private static final int BUCKET_MILLIS = 250;

	private static final int SECONDS = 14;

	private FailoverHarness() {
	}

	public static void main(String[] args) throws Exception {
		Path out = Path.of(args.length > 0 ? args[0] : "docs/benchmarks");
		Files.createDirectories(out);
		int buckets = SECONDS * 1000 / BUCKET_MILLIS;
		try (EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder().replicas(2).start()) {
			cluster.createDatabase("failover");
			int[] ports = { cluster.primary().port(), cluster.replica(1).port(), cluster.replica(2).port() };
			String[] names = { "primary", "replica-1", "replica-2" };
			AtomicLongArray[] served = { new AtomicLongArray(buckets), new AtomicLongArray(buckets),
					new AtomicLongArray(buckets) };
			AtomicLongArray failed = new AtomicLongArray(buckets);
			try (ConfigurableApplicationContext app = BenchApp.start(cluster, "failover",
					Map.of("app.datasource.routing.health-check-interval", "1s"))) {
				BenchApp.Reader reader = app.getBean(BenchApp.Reader.class);
				long start = System.nanoTime();
				CountDownLatch done = new CountDownLatch(8);
				for (int t = 0; t < 8; t++) {
					new Thread(() -> {
						try {
							while (true) {
								int bucket = (int) ((System.nanoTime() - start) / 1_000_000 / BUCKET_MILLIS);
								if (bucket >= buckets) {
									return;
								}
								try {
									int port = reader.port();
									for (int n = 0; n < ports.length; n++) {
										if (ports[n] == port) {
											served[n].incrementAndGet(bucket);
										}
									}
								}
								catch (RuntimeException ex) {
									failed.incrementAndGet(bucket);
								}
							}
						}
						finally {
							done.countDown();
						}
					}, "reader-" + t).start();
				}
				sleepUntil(start, 4000);
				cluster.replica(1).kill();
				sleepUntil(start, 9000);
				cluster.replica(1).start();
				done.await();
			}
			StringBuilder csv = new StringBuilder("second,primary_rps,replica_1_rps,replica_2_rps,failed_reads\n");
			List<Double> x = new ArrayList<>();
			List<List<Double>> series = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
			List<Double> failures = new ArrayList<>();
			long totalFailed = 0;
			long total = 0;
			double perSecond = 1000.0 / BUCKET_MILLIS;
			for (int b = 0; b < buckets; b++) {
				double second = b * BUCKET_MILLIS / 1000.0;
				x.add(second);
				csv.append(second);
				for (int n = 0; n < 3; n++) {
					double rps = served[n].get(b) * perSecond;
					series.get(n).add(rps);
					csv.append(',').append((long) rps);
					total += served[n].get(b);
				}
				failures.add((double) failed.get(b));
				totalFailed += failed.get(b);
				csv.append(',').append(failed.get(b)).append('\n');
			}
			Files.writeString(out.resolve("failover.csv"), csv);
			XYChart chart = new XYChartBuilder().width(900)
				.height(500)
				.title("Reads/s by node; replica-1 killed at 4 s, restarted at 9 s (" + totalFailed + " failed of "
						+ (total + totalFailed) + ")")
				.xAxisTitle("seconds")
				.yAxisTitle("reads/s")
				.build();
			for (int n = 0; n < 3; n++) {
				chart.addSeries(names[n], x, series.get(n));
			}
			chart.addSeries("failed reads (count)", x, failures);
			BitmapEncoder.saveBitmap(chart, out.resolve("failover").toString(), BitmapEncoder.BitmapFormat.PNG);
			System.out.println("Reads: " + total + ", failed: " + totalFailed);
		}
	}

	private static void sleepUntil(long start, long millis) throws InterruptedException {
		long wait = millis - (System.nanoTime() - start) / 1_000_000;
		if (wait > 0) {
			Thread.sleep(wait);
		}
	}

}
