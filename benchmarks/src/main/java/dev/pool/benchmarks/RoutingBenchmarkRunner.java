package dev.pool.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link RoutingBenchmark} (arguments: the output directory, then any JMH options,
 * for example {@code -f 1} or a benchmark pattern), writes the raw results to
 * {@code routing.csv}, prints each variant against its HikariCP baseline and draws
 * {@code routing.png}; then, for the whole benchmark only, measures the
 * starter-to-HikariCP ratios again in paired rounds ({@code routing-paired.csv}).
 */
public final class RoutingBenchmarkRunner {

	private static final List<String> ORDER = List.of("rawHikari", "starterWrite", "starterRead",
			"starterReadConsistencyOff", "starterWriteObserved", "starterReadObserved", "springLazyProxyWrite",
			"springLazyProxyRead", "dynamicDatasource", "rawHikariScalarReplaced", "rawHikariMetered",
			"starterWriteMetered", "starterReadMetered", "starterPoolDirect", "starterPoolThroughWaiters");

	private static final List<List<String>> PAIRED = List.of(
			List.of("rawHikari", "starterWrite", "starterRead", "starterReadConsistencyOff"),
			List.of("rawHikariMetered", "starterWriteMetered", "starterReadMetered"),
			List.of("starterPoolDirect", "starterPoolThroughWaiters"));

	private RoutingBenchmarkRunner() {
	}

	public static void main(String[] args) throws Exception {
		Path out = Path.of((args.length > 0) ? args[0] : "docs/benchmarks");
		String[] jmhArgs = (args.length > 0) ? Arrays.copyOfRange(args, 1, args.length) : args;
		Files.createDirectories(out);
		CommandLineOptions commandLine = new CommandLineOptions(jmhArgs);
		OptionsBuilder builder = new OptionsBuilder();
		if (commandLine.getIncludes().isEmpty()) {
			builder.include(RoutingBenchmark.class.getName() + "\\.");
		}
		Options options = builder.parent(commandLine)
			.addProfiler(GCProfiler.class)
			.resultFormat(ResultFormatType.CSV)
			.result(out.resolve("routing.csv").toString())
			.build();
		Collection<RunResult> results = new Runner(options).run();
		Map<String, double[]> measured = new LinkedHashMap<>();
		for (RunResult result : results) {
			String name = result.getParams().getBenchmark();
			double error = result.getPrimaryResult().getScoreError();
			// A single iteration has no error estimate; the chart cannot draw NaN.
			measured.put(name.substring(name.lastIndexOf('.') + 1),
					new double[] { result.getPrimaryResult().getScore(), Double.isNaN(error) ? 0 : error });
		}
		Map<String, double[]> scores = new LinkedHashMap<>();
		for (String name : ORDER) {
			if (measured.containsKey(name)) {
				scores.put(name, measured.remove(name));
			}
		}
		scores.putAll(measured);
		System.out.println();
		System.out.println("variant                      ns/op     vs HikariCP");
		List<String> names = new ArrayList<>();
		List<Double> values = new ArrayList<>();
		List<Double> errors = new ArrayList<>();
		scores.forEach((name, score) -> {
			String baseline = name.endsWith("Metered") ? "rawHikariMetered" : "rawHikari";
			double[] base = scores.get(baseline);
			String ratio = (base != null) ? String.format(Locale.ROOT, "%.2fx %s", score[0] / base[0], baseline) : "";
			System.out.printf(Locale.ROOT, "%-26s %7.1f ± %4.1f  %s%n", name, score[0], score[1], ratio);
			names.add(name);
			values.add(score[0]);
			errors.add(score[1]);
		});
		CategoryChart chart = new CategoryChartBuilder().width(1000)
			.height(500)
			.title("getConnection() + close() on a no-I/O driver (lower is better)")
			.xAxisTitle("variant")
			.yAxisTitle("ns/op")
			.build();
		chart.getStyler().setLegendVisible(false);
		chart.getStyler().setXAxisLabelRotation(30);
		chart.addSeries("ns/op", names, values, errors);
		BitmapEncoder.saveBitmap(chart, out.resolve("routing").toString(), BitmapEncoder.BitmapFormat.PNG);
		if (commandLine.getIncludes().isEmpty()) {
			pairedRounds(out, commandLine);
		}
	}

	/**
	 * Ratios from paired rounds: each round runs a baseline and its variants back to
	 * back, one fork each, in an order that rotates from round to round, so a machine
	 * that speeds up or slows down over minutes (a shared host does) moves both sides of
	 * a ratio alike. The table run above measures each benchmark's forks together,
	 * minutes apart from its baseline.
	 */
	private static void pairedRounds(Path out, CommandLineOptions commandLine) throws Exception {
		int rounds = 10;
		StringBuilder csv = new StringBuilder("round,variant,baseline,variant_ns,baseline_ns,ratio\n");
		Map<String, List<Double>> ratios = new LinkedHashMap<>();
		for (int round = 1; round <= rounds; round++) {
			for (List<String> group : PAIRED) {
				List<String> order = new ArrayList<>(group);
				Collections.rotate(order, round);
				Map<String, Double> scores = new LinkedHashMap<>();
				for (String name : order) {
					Options options = new OptionsBuilder().parent(commandLine)
						.include(RoutingBenchmark.class.getName() + "\\." + name + "$")
						.forks(1)
						.build();
					scores.put(name, new Runner(options).runSingle().getPrimaryResult().getScore());
				}
				String baseline = group.get(0);
				for (String variant : group.subList(1, group.size())) {
					double ratio = scores.get(variant) / scores.get(baseline);
					ratios.computeIfAbsent(variant, (key) -> new ArrayList<>()).add(ratio);
					csv.append(String.format(Locale.ROOT, "%d,%s,%s,%.2f,%.2f,%.4f%n", round, variant, baseline,
							scores.get(variant), scores.get(baseline), ratio));
				}
			}
		}
		Files.writeString(out.resolve("routing-paired.csv"), csv);
		System.out.println();
		System.out.println("paired rounds (" + rounds + "): variant / baseline, median [min - max]");
		ratios.forEach((variant, values) -> {
			List<Double> sorted = values.stream().sorted().toList();
			double median = (sorted.get((sorted.size() - 1) / 2) + sorted.get(sorted.size() / 2)) / 2;
			System.out.printf(Locale.ROOT, "%-26s %.3fx [%.3f - %.3f]%n", variant, median, sorted.get(0),
					sorted.get(sorted.size() - 1));
		});
	}

}
