package dev.pool.chaos;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;

import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The soak's checker: it knows nothing of the starter. It compares the clients' history
 * with what the database holds at the end (read directly on the leader) and with the
 * faults' times, and writes the report.
 */
final class Checker {

	/**
	 * How long after a fault is over its effects may still show: the breaker's
	 * {@code open-duration} (5 s) plus one topology refresh and one replica check (1 s
	 * each) as {@link ChaosApp} configures them. A 503 later than this is a calm 503.
	 */
	static final long SETTLE_MILLIS = 7_000;

	private final boolean sync;

	private final List<Request> history;

	private final List<Fault> faults;

	private final Set<Long> committed;

	private final long lateMillis;

	Checker(boolean sync, List<Request> history, List<Fault> faults, Set<Long> committed, long lateMillis) {
		this.sync = sync;
		this.history = history.stream().sorted(Comparator.comparingLong(Request::startMillis)).toList();
		this.faults = faults;
		this.committed = committed;
		this.lateMillis = lateMillis;
	}

	static long key(int client, int seq) {
		return ((long) client << 32) | (seq & 0xffffffffL);
	}

	/**
	 * Checks the history and writes the report: summary, faults, per-second timeline,
	 * chart and every request that was not a plain success (with what the checker found)
	 * into {@code out}, and the whole history, gzipped, into {@code historyDir} (about 8
	 * bytes a request: kept out of the repository, the seed reproduces the schedule).
	 */
	Result check(Path out, Path historyDir, String name, long seed, Duration duration) throws IOException {
		List<Request> lost = new ArrayList<>();
		List<Request> lostAtFailover = new ArrayList<>();
		List<Request> stale = new ArrayList<>();
		List<Request> staleOfLost = new ArrayList<>();
		List<Request> unanswered = new ArrayList<>();
		List<Request> late = new ArrayList<>();
		List<Request> calm503 = new ArrayList<>();
		long answered503 = 0;
		long otherErrors = 0;
		long calmOtherErrors = 0;
		long writesAcknowledged = 0;
		long readsOwn = 0;
		for (Request request : this.history) {
			if (request.op().isWrite() && request.ok()) {
				writesAcknowledged++;
				if (!this.committed.contains(key(request.client(), request.seq()))) {
					lost.add(request);
					if (atFailover(request)) {
						lostAtFailover.add(request);
					}
				}
			}
			if (request.op() == Request.Op.OWN_READ && request.ok()) {
				readsOwn++;
				if (request.value() < request.seq()) {
					boolean writeLost = !this.committed.contains(key(request.client(), request.seq()));
					(writeLost ? staleOfLost : stale).add(request);
				}
			}
			if (request.status() == Request.UNANSWERED) {
				unanswered.add(request);
			}
			else if (request.millis() > this.lateMillis) {
				late.add(request);
			}
			boolean calm = calm(request);
			if (request.status() == 503) {
				answered503++;
				if (calm) {
					calm503.add(request);
				}
			}
			else if (!request.ok() && request.status() != Request.UNANSWERED) {
				otherErrors++;
				if (calm) {
					calmOtherErrors++;
				}
			}
		}
		// Synchronous mode promises no acknowledged write is lost; asynchronous mode does
		// not, and PostgreSQL may lose what the old leader acknowledged last before it
		// was replaced: those are reported, and only a loss outside a failover counts.
		long lostCounted = this.sync ? lost.size() : lost.size() - lostAtFailover.size();
		Result result = new Result(lost.size(), stale.size(), unanswered.size(), late.size(), calm503.size(),
				lostCounted == 0 && stale.isEmpty() && unanswered.isEmpty() && late.isEmpty() && calm503.isEmpty());
		List<String> faultRows = faultRows(lost);
		Files.createDirectories(historyDir);
		writeHistory(historyDir.resolve(name + "-history.csv.gz"));
		writeAnomalies(out.resolve(name + "-anomalies.csv.gz"), lost, lostAtFailover, stale, staleOfLost, late,
				calm503);
		writeTimeline(out, name);
		StringBuilder summary = new StringBuilder();
		summary.append("# Chaos soak: ")
			.append(this.sync ? "synchronous" : "asynchronous")
			.append(" replication, seed ")
			.append(seed)
			.append(", ")
			.append(duration.toSeconds())
			.append(" s of faults\n\n");
		summary.append("| figure | value | must be |\n|---|---:|---|\n");
		row(summary, "requests", this.history.size(), "");
		row(summary, "acknowledged writes", writesAcknowledged, "");
		row(summary, "reads of the client's own last write", readsOwn, "");
		row(summary, "acknowledged writes missing at the end (lost)", lost.size(), this.sync ? "0" : "reported");
		if (!this.sync) {
			row(summary,
					"... of them acknowledged by a leader in its last " + LOSS_WINDOW_MILLIS + " ms before a failover",
					lostAtFailover.size(), "");
			row(summary, "reads older than an acknowledged write that PostgreSQL lost", staleOfLost.size(), "reported");
		}
		row(summary, "reads older than the client's acknowledged write (stale)", stale.size(), "0");
		row(summary, "requests never answered (client gave up after 20 s)", unanswered.size(), "0");
		row(summary, "answered later than connection-timeout + 1 s (" + this.lateMillis + " ms)", late.size(), "0");
		row(summary, "503 answers", answered503, "");
		row(summary, "503 answers in calm periods (more than " + SETTLE_MILLIS + " ms after any fault)", calm503.size(),
				"0");
		row(summary, "other failed answers (5xx but 503, no connection)", otherErrors, "");
		row(summary, "... in calm periods", calmOtherErrors, "");
		summary.append("\n| t (s) | fault | member | detail | over after (s) | failed writes | 503 | failed reads "
				+ "| writes resumed (ms after start) | reads on every replica (ms after over) | lost writes |\n"
				+ "|---:|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
		faultRows.forEach((line) -> summary.append(line).append('\n'));
		appendExamples(summary, "lost", lost);
		appendExamples(summary, "stale", stale);
		appendExamples(summary, "unanswered", unanswered);
		appendExamples(summary, "late", late);
		appendExamples(summary, "calm 503", calm503);
		summary.append('\n').append(result.lastLine()).append('\n');
		Files.writeString(out.resolve(name + "-summary.md"), summary);
		System.out.println(summary);
		return result;
	}

	static final long LOSS_WINDOW_MILLIS = 2_000;

	// Acknowledged shortly before (or during) a fault that replaced the leader.
	private boolean atFailover(Request write) {
		for (Fault fault : this.faults) {
			boolean leaderLost = fault.kind() == Fault.Kind.LEADER_KILL
					|| (fault.kind() == Fault.Kind.FREEZE && fault.detail().startsWith("leader"));
			if (leaderLost && write.endMillis() >= fault.startMillis() - LOSS_WINDOW_MILLIS
					&& write.endMillis() <= fault.endMillis()) {
				return true;
			}
		}
		return false;
	}

	private boolean calm(Request request) {
		for (Fault fault : this.faults) {
			if (request.overlaps(fault.startMillis(), fault.endMillis() + SETTLE_MILLIS)) {
				return false;
			}
		}
		return true;
	}

	private List<String> faultRows(List<Request> lost) {
		List<String> rows = new ArrayList<>();
		StringBuilder csv = new StringBuilder("start_ms,fault,member,detail,over_ms,failed_writes,answered_503,"
				+ "failed_reads,writes_resumed_ms_after_start,reads_on_every_replica_ms_after_over,lost_writes\n");
		for (Fault fault : this.faults) {
			long from = fault.startMillis();
			// Acknowledged writes missing at the end, acknowledged in the loss window
			// before this fault or during it.
			long lostHere = lost.stream()
				.filter((write) -> write.endMillis() >= from - LOSS_WINDOW_MILLIS
						&& write.endMillis() <= fault.endMillis())
				.count();
			long to = fault.endMillis() + SETTLE_MILLIS;
			long failedWrites = 0;
			long failedReads = 0;
			long count503 = 0;
			long lastFailedWrite = -1;
			for (Request request : this.history) {
				if (!request.overlaps(from, to) || request.ok()) {
					continue;
				}
				if (request.status() == 503) {
					count503++;
				}
				if (request.op().isWrite()) {
					failedWrites++;
					lastFailedWrite = Math.max(lastFailedWrite, request.endMillis());
				}
				else {
					failedReads++;
				}
			}
			long resumed = 0;
			if (lastFailedWrite >= 0) {
				resumed = -1;
				for (Request request : this.history) {
					if (request.op().isWrite() && request.ok() && request.startMillis() >= lastFailedWrite) {
						resumed = request.endMillis() - from;
						break;
					}
				}
			}
			long spread = 0;
			for (int port : fault.replicaPorts()) {
				long first = -1;
				for (Request request : this.history) {
					if (request.op() == Request.Op.READ && request.ok() && request.port() == port
							&& request.startMillis() >= fault.endMillis()) {
						first = request.endMillis() - fault.endMillis();
						break;
					}
				}
				spread = (first < 0 || spread < 0) ? -1 : Math.max(spread, first);
			}
			String detail = fault.detail().replace(',', ';');
			csv.append(from)
				.append(',')
				.append(fault.kind().code)
				.append(',')
				.append(fault.target())
				.append(',')
				.append(detail)
				.append(',')
				.append(fault.endMillis() - from)
				.append(',')
				.append(failedWrites)
				.append(',')
				.append(count503)
				.append(',')
				.append(failedReads)
				.append(',')
				.append(resumed)
				.append(',')
				.append(spread)
				.append(',')
				.append(lostHere)
				.append('\n');
			rows.add(String.format("| %.1f | %s | %s | %s | %.1f | %d | %d | %d | %s | %s | %d |", from / 1000.0,
					fault.kind().code, fault.target(), detail, (fault.endMillis() - from) / 1000.0, failedWrites,
					count503, failedReads, (resumed < 0) ? "never" : (resumed == 0) ? "none failed" : resumed,
					(spread < 0) ? "never" : Long.toString(spread), lostHere));
		}
		this.faultsCsv = csv.toString();
		return rows;
	}

	private static final String HEADER = "start_ms,end_ms,client,instance,op,seq,status,port,value";

	private String faultsCsv = "";

	private void writeHistory(Path file) throws IOException {
		try (Writer writer = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(file)),
				StandardCharsets.UTF_8)) {
			writer.write(HEADER + "\n");
			for (Request request : this.history) {
				writer.write(request.csv());
				writer.write('\n');
			}
		}
	}

	// Every request that was not a plain success or that a check flagged, with the
	// finding: the part of the history a reader of the report wants to look at.
	private void writeAnomalies(Path file, List<Request> lost, List<Request> lostAtFailover, List<Request> stale,
			List<Request> staleOfLost, List<Request> late, List<Request> calm503) throws IOException {
		Map<Request, String> findings = new IdentityHashMap<>();
		lost.forEach((request) -> findings.put(request, "lost"));
		lostAtFailover.forEach((request) -> findings.put(request, "lost_at_failover"));
		stale.forEach((request) -> findings.put(request, "stale"));
		staleOfLost.forEach((request) -> findings.put(request, "stale_of_lost_write"));
		late.forEach((request) -> findings.put(request, "late"));
		calm503.forEach((request) -> findings.put(request, "calm_503"));
		StringBuilder csv = new StringBuilder(HEADER + ",finding\n");
		for (Request request : this.history) {
			String finding = findings.get(request);
			if (finding == null && !request.ok()) {
				String window = calm(request) ? "_in_calm_period" : "_in_fault_window";
				finding = switch (request.status()) {
					case Request.UNANSWERED -> "unanswered";
					case 503 -> "503" + window;
					default -> "failed" + window;
				};
			}
			if (finding != null) {
				csv.append(request.csv()).append(',').append(finding).append('\n');
			}
		}
		// Gzipped: every 503 of a 10-minute run is a row (about 1.5 MB of text).
		try (Writer writer = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(file)),
				StandardCharsets.UTF_8)) {
			writer.write(csv.toString());
		}
	}

	private void writeTimeline(Path out, String name) throws IOException {
		Files.writeString(out.resolve(name + "-faults.csv"), this.faultsCsv);
		long last = this.history.stream().mapToLong(Request::endMillis).max().orElse(0);
		int seconds = (int) (last / 1000) + 1;
		Set<Integer> ports = new TreeSet<>();
		this.history.stream().filter(Request::ok).forEach((request) -> ports.add(request.port()));
		Map<Integer, long[]> okByPort = new TreeMap<>();
		ports.forEach((port) -> okByPort.put(port, new long[seconds]));
		long[] answered503 = new long[seconds];
		long[] failed = new long[seconds];
		for (Request request : this.history) {
			int second = (int) (request.endMillis() / 1000);
			if (request.ok()) {
				okByPort.get(request.port())[second]++;
			}
			else if (request.status() == 503) {
				answered503[second]++;
			}
			else {
				failed[second]++;
			}
		}
		StringBuilder csv = new StringBuilder("second");
		ports.forEach((port) -> csv.append(",ok_port_").append(port));
		csv.append(",answered_503,other_failed\n");
		List<Double> x = new ArrayList<>();
		for (int s = 0; s < seconds; s++) {
			x.add((double) s);
			csv.append(s);
			for (long[] ok : okByPort.values()) {
				csv.append(',').append(ok[s]);
			}
			csv.append(',').append(answered503[s]).append(',').append(failed[s]).append('\n');
		}
		Files.writeString(out.resolve(name + "-timeline.csv"), csv);
		XYChart chart = new XYChartBuilder().width(1400)
			.height(600)
			.title("Chaos soak (" + (this.sync ? "synchronous" : "asynchronous")
					+ " replication): answers per second by PostgreSQL node, 503s, faults")
			.xAxisTitle("seconds")
			.yAxisTitle("answers per second")
			.build();
		chart.getStyler().setMarkerSize(0);
		chart.getStyler().setYAxisMin(0.0);
		for (Map.Entry<Integer, long[]> entry : okByPort.entrySet()) {
			chart.addSeries("node :" + entry.getKey(), x, toDoubles(entry.getValue())).setMarker(SeriesMarkers.NONE);
		}
		chart.addSeries("503", x, toDoubles(answered503)).setMarker(SeriesMarkers.NONE);
		chart.addSeries("other failures", x, toDoubles(failed)).setMarker(SeriesMarkers.NONE);
		double top = 0;
		for (long[] ok : okByPort.values()) {
			for (long value : ok) {
				top = Math.max(top, value);
			}
		}
		int index = 0;
		for (Fault fault : this.faults) {
			chart.addAnnotation(new AnnotationLine(fault.startMillis() / 1000.0, true, false));
			double y = top * (0.95 - 0.06 * (index++ % 4));
			chart.addAnnotation(new AnnotationText(fault.kind().code, fault.startMillis() / 1000.0 + 1, y, false));
		}
		BitmapEncoder.saveBitmap(chart, out.resolve(name).toString(), BitmapEncoder.BitmapFormat.PNG);
	}

	private static List<Double> toDoubles(long[] values) {
		List<Double> list = new ArrayList<>(values.length);
		for (long value : values) {
			list.add((double) value);
		}
		return list;
	}

	private static void row(StringBuilder summary, String figure, long value, String mustBe) {
		summary.append("| ").append(figure).append(" | ").append(value).append(" | ").append(mustBe).append(" |\n");
	}

	private static void appendExamples(StringBuilder summary, String what, List<Request> requests) {
		if (requests.isEmpty()) {
			return;
		}
		summary.append("\nFirst ")
			.append(Math.min(10, requests.size()))
			.append(" ")
			.append(what)
			.append(" (of ")
			.append(requests.size())
			.append("): start_ms,end_ms,client,instance,op,seq,status,port,value\n");
		requests.stream().limit(10).forEach((request) -> summary.append("    ").append(request.csv()).append('\n'));
	}

	/** The figures that must be 0, and whether they are. */
	record Result(long lost, long stale, long unanswered, long late, long calm503, boolean passed) {

		String lastLine() {
			return "chaos: lost=" + this.lost + " stale=" + this.stale + " unanswered=" + this.unanswered + " late="
					+ this.late + " calm503=" + this.calm503;
		}

	}

}
