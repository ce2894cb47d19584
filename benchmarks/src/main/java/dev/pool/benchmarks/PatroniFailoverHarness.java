package dev.pool.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import dev.pool.test.PatroniCluster;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Leader failover on a real Patroni cluster (etcd + 3 members on loopback), with the
 * topology from Patroni's REST API: 4 threads write (one-row insert in a transaction) and
 * 4 call a {@code @ReadOnly} method, HikariCP's default 30 s connection-timeout and the
 * breaker's default 30 s open-duration. In each of {@value #ROUNDS} rounds the leader is
 * killed (SIGKILL of its Patroni and postmaster); the harness asks Patroni itself, every
 * 20 ms, when it names a new leader that accepts writes, and measures from then to the
 * first write the application gets acknowledged there, the writes that failed, the
 * slowest answer and the reads that failed. The killed member then rejoins before the
 * next round. Round 1 is also counted in 250 ms buckets for the chart.
 */
public final class PatroniFailoverHarness {

	private static final int ROUNDS = 5;

	private static final int BUCKET_MILLIS = 250;

	private static final int TIMELINE_SECONDS = 24;

	private static final long KILL_MILLIS = 4_000;

	private static final long FAILED_WRITE_PAUSE_MILLIS = 5;

	private PatroniFailoverHarness() {
	}

	public static void main(String[] args) throws Exception {
		Path out = Path.of(args.length > 0 ? args[0] : "docs/benchmarks");
		Files.createDirectories(out);
		StringBuilder rounds = new StringBuilder("round,killed,new_leader,named_ms_after_kill,"
				+ "first_write_ms_after_named,writes_ok,writes_failed,slowest_answer_ms,reads_ok,reads_failed\n");
		List<Long> firstWrites = new ArrayList<>();
		try (PatroniCluster cluster = PatroniCluster.builder().members(3).start()) {
			cluster.createDatabase("failover");
			Map<String, Object> connection = new LinkedHashMap<>(cluster.topologyProperties("failover"));
			try (ConfigurableApplicationContext app = BenchApp.start(connection,
					Map.of("app.datasource.primary.connection-timeout", "30s"))) {
				BenchApp.Writer writer = app.getBean(BenchApp.Writer.class);
				BenchApp.Reader reader = app.getBean(BenchApp.Reader.class);
				writer.createTable();
				Timeline timeline = null;
				for (int round = 1; round <= ROUNDS; round++) {
					cluster.awaitHealthy(Duration.ofSeconds(90));
					Load load = new Load(writer, reader, (round == 1) ? new Timeline() : null);
					load.start();
					Thread.sleep(KILL_MILLIS);
					String leader = cluster.leader().orElseThrow();
					long killed = System.nanoTime();
					load.countFromNow();
					cluster.kill(leader);
					long named = awaitNewLeader(cluster, leader);
					String newLeader = cluster.leader().orElseThrow();
					int newPort = cluster.port(newLeader);
					long firstWrite;
					while ((firstWrite = load.firstWriteOn(newPort)) == 0) {
						Thread.sleep(5);
					}
					// Steady on the new leader for a while before the round ends.
					Thread.sleep(4_000);
					load.stop();
					long firstWriteMillis = (firstWrite - named) / 1_000_000;
					firstWrites.add(firstWriteMillis);
					rounds.append(round)
						.append(',')
						.append(leader)
						.append(',')
						.append(newLeader)
						.append(',')
						.append((named - killed) / 1_000_000)
						.append(',')
						.append(firstWriteMillis)
						.append(',')
						.append(load.writesOk.get())
						.append(',')
						.append(load.writesFailed.get())
						.append(',')
						.append(load.slowest.get())
						.append(',')
						.append(load.readsOk.get())
						.append(',')
						.append(load.readsFailed.get())
						.append('\n');
					System.out.println("[round " + round + "] " + leader + " killed; Patroni named " + newLeader + " "
							+ (named - killed) / 1_000_000 + " ms later; first write there " + firstWriteMillis
							+ " ms after that; writes ok " + load.writesOk.get() + ", failed " + load.writesFailed.get()
							+ ", slowest answer " + load.slowest.get() + " ms; reads ok " + load.readsOk.get()
							+ ", failed " + load.readsFailed.get());
					if (round == 1) {
						timeline = load.timeline;
						timeline.named = (named - killed) / 1_000_000 + KILL_MILLIS;
						timeline.firstWrite = (firstWrite - killed) / 1_000_000 + KILL_MILLIS;
					}
					cluster.start(leader);
				}
				if (timeline != null) {
					timeline.write(out);
				}
			}
		}
		long[] sorted = firstWrites.stream().mapToLong(Long::longValue).sorted().toArray();
		String summary = "first write on the new leader after Patroni named it: median " + sorted[sorted.length / 2]
				+ " ms, range " + sorted[0] + "-" + sorted[sorted.length - 1] + " ms over " + sorted.length + " rounds "
				+ Arrays.toString(firstWrites.toArray());
		rounds.append("# ").append(summary).append('\n');
		Files.writeString(out.resolve("patroni-failover-rounds.csv"), rounds);
		System.out.println(summary);
	}

	// Patroni itself, every 20 ms: a different running leader that accepts writes.
	private static long awaitNewLeader(PatroniCluster cluster, String old) throws InterruptedException {
		long firstNamed = 0;
		String candidate = null;
		while (true) {
			Optional<String> leader = cluster.leader();
			if (leader.isPresent() && !leader.get().equals(old)) {
				if (!leader.get().equals(candidate)) {
					candidate = leader.get();
					firstNamed = System.nanoTime();
				}
				if (acceptsWrites(cluster, candidate)) {
					return firstNamed;
				}
			}
			Thread.sleep(20);
		}
	}

	private static boolean acceptsWrites(PatroniCluster cluster, String member) {
		try (Connection connection = cluster.connect(member, "postgres");
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT NOT pg_is_in_recovery()")) {
			rs.next();
			return rs.getBoolean(1);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	/** Four writers and four readers. */
	private static final class Load {

		private final BenchApp.Writer writer;

		private final BenchApp.Reader reader;

		private final Timeline timeline;

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicLong writesOk = new AtomicLong();

		private final AtomicLong writesFailed = new AtomicLong();

		private final AtomicLong readsOk = new AtomicLong();

		private final AtomicLong readsFailed = new AtomicLong();

		private final AtomicLong slowest = new AtomicLong();

		private final Map<Integer, AtomicLong> firstWrite = new java.util.concurrent.ConcurrentHashMap<>();

		private final List<Thread> threads = new ArrayList<>();

		private volatile long start;

		Load(BenchApp.Writer writer, BenchApp.Reader reader, Timeline timeline) {
			this.writer = writer;
			this.reader = reader;
			this.timeline = timeline;
		}

		void start() {
			this.start = System.nanoTime();
			for (int t = 0; t < 4; t++) {
				int id = t;
				this.threads.add(new Thread(() -> write(id), "writer-" + t));
				this.threads.add(new Thread(this::read, "reader-" + t));
			}
			this.threads.forEach(Thread::start);
		}

		// The round's counts start with the kill; the timeline keeps counting.
		void countFromNow() {
			this.writesOk.set(0);
			this.writesFailed.set(0);
			this.readsOk.set(0);
			this.readsFailed.set(0);
			this.slowest.set(0);
		}

		void stop() throws InterruptedException {
			this.running.set(false);
			for (Thread thread : this.threads) {
				thread.join(60_000);
			}
		}

		long firstWriteOn(int port) {
			AtomicLong at = this.firstWrite.get(port);
			return (at != null) ? at.get() : 0;
		}

		private void write(int id) {
			while (this.running.get()) {
				long began = System.nanoTime();
				try {
					int port = this.writer.insertAndPort(id);
					long now = System.nanoTime();
					this.firstWrite.computeIfAbsent(port, (key) -> new AtomicLong(now));
					this.writesOk.incrementAndGet();
					count(began, now, (this.timeline != null) ? this.timeline.writes : null);
				}
				catch (RuntimeException ex) {
					this.writesFailed.incrementAndGet();
					count(began, System.nanoTime(), (this.timeline != null) ? this.timeline.failedWrites : null);
					pause();
				}
			}
		}

		private void read() {
			while (this.running.get()) {
				long began = System.nanoTime();
				try {
					this.reader.port();
					this.readsOk.incrementAndGet();
					count(began, System.nanoTime(), (this.timeline != null) ? this.timeline.reads : null);
				}
				catch (RuntimeException ex) {
					this.readsFailed.incrementAndGet();
					count(began, System.nanoTime(), (this.timeline != null) ? this.timeline.failedReads : null);
				}
			}
		}

		private void count(long began, long ended, AtomicLongArray buckets) {
			this.slowest.accumulateAndGet((ended - began) / 1_000_000, Math::max);
			if (buckets != null) {
				int bucket = (int) ((began - this.start) / 1_000_000 / BUCKET_MILLIS);
				if (bucket >= 0 && bucket < buckets.length()) {
					buckets.incrementAndGet(bucket);
				}
			}
		}

		private static void pause() {
			try {
				Thread.sleep(FAILED_WRITE_PAUSE_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

	/** Round 1 in 250 ms buckets, from the load's start; the kill comes at 4 s. */
	private static final class Timeline {

		private final int buckets = TIMELINE_SECONDS * 1000 / BUCKET_MILLIS;

		private final AtomicLongArray writes = new AtomicLongArray(this.buckets);

		private final AtomicLongArray failedWrites = new AtomicLongArray(this.buckets);

		private final AtomicLongArray reads = new AtomicLongArray(this.buckets);

		private final AtomicLongArray failedReads = new AtomicLongArray(this.buckets);

		private long named;

		private long firstWrite;

		void write(Path out) throws Exception {
			StringBuilder csv = new StringBuilder(
					"second,writes_per_s,failed_writes_per_s,reads_per_s,failed_reads_per_s\n");
			List<Double> x = new ArrayList<>();
			List<Double> writeRate = new ArrayList<>();
			List<Double> failedRate = new ArrayList<>();
			List<Double> readRate = new ArrayList<>();
			double perSecond = 1000.0 / BUCKET_MILLIS;
			// Up to the last bucket with any outcome: the load stopped there.
			int last = this.buckets - 1;
			while (last > 0 && this.writes.get(last) + this.failedWrites.get(last) + this.reads.get(last)
					+ this.failedReads.get(last) == 0) {
				last--;
			}
			for (int b = 0; b <= last; b++) {
				double second = b * BUCKET_MILLIS / 1000.0;
				x.add(second);
				writeRate.add(this.writes.get(b) * perSecond);
				failedRate.add(this.failedWrites.get(b) * perSecond);
				readRate.add(this.reads.get(b) * perSecond);
				csv.append(second)
					.append(',')
					.append((long) (this.writes.get(b) * perSecond))
					.append(',')
					.append((long) (this.failedWrites.get(b) * perSecond))
					.append(',')
					.append((long) (this.reads.get(b) * perSecond))
					.append(',')
					.append((long) (this.failedReads.get(b) * perSecond))
					.append('\n');
			}
			csv.append("# leader killed at ")
				.append(KILL_MILLIS)
				.append(" ms; Patroni named the new leader at ")
				.append(this.named)
				.append(" ms; first write on it at ")
				.append(this.firstWrite)
				.append(" ms\n");
			Files.writeString(out.resolve("patroni-failover.csv"), csv);
			XYChart chart = new XYChartBuilder().width(900)
				.height(500)
				.title("Patroni leader killed at 4 s; new leader named at " + this.named / 1000.0 + " s, first write "
						+ (this.firstWrite - this.named) + " ms later")
				.xAxisTitle("seconds")
				.build();
			chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
			chart.getStyler().setYAxisMin(0, 0.0);
			chart.getStyler().setYAxisMin(1, 0.0);
			chart.setYAxisGroupTitle(0, "reads per second");
			chart.setYAxisGroupTitle(1, "writes per second");
			chart.addSeries("reads/s", x, readRate);
			chart.addSeries("writes/s (right axis)", x, writeRate).setYAxisGroup(1);
			chart.addSeries("failed writes/s (right axis)", x, failedRate).setYAxisGroup(1);
			BitmapEncoder.saveBitmap(chart, out.resolve("patroni-failover").toString(), BitmapEncoder.BitmapFormat.PNG);
		}

	}

}
