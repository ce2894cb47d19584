package dev.pool.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.test.EmbeddedPostgresCluster;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The load harness's question asked fairly: the starter against a HikariCP pool with the
 * same settings (maximum 10, minimum idle 2, connection timeout 5 s, leak detection off
 * in both), side by side in paired rounds whose order alternates, so a drifting shared
 * machine moves both alike. Steady (16 clients) and burst (200 clients) profiles; writes
 * {@code load-paired.csv} and prints the median and range of starter / HikariCP per
 * profile.
 */
public final class LoadPairedHarness {

	private static final int ROUNDS = 5;

	private LoadPairedHarness() {
	}

	public static void main(String[] args) throws Exception {
		Path out = Path.of(args.length > 0 ? args[0] : "docs/benchmarks");
		Files.createDirectories(out);
		List<LoadHarness.Profile> profiles = List.of(new LoadHarness.Profile("steady", 16),
				new LoadHarness.Profile("burst", 200));
		StringBuilder csv = new StringBuilder("date,round,profile,hikari_rps,starter_rps,starter_over_hikari\n");
		Map<String, List<Double>> ratios = new java.util.LinkedHashMap<>();
		try (EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder()
			.replicas(1)
			.maxConnections(400)
			.start()) {
			cluster.createDatabase(LoadHarness.DB);
			try (HikariDataSource hikari = sameSettings(cluster);
					ConfigurableApplicationContext starter = BenchApp.start(cluster, LoadHarness.DB,
							Map.of("app.datasource.primary.leak-detection-threshold", "0"))) {
				DataSource router = starter.getBean(DataSource.class);
				for (int round = 1; round <= ROUNDS; round++) {
					for (LoadHarness.Profile profile : profiles) {
						double hikariRps;
						double starterRps;
						if (round % 2 == 1) {
							hikariRps = LoadHarness.run(profile, "hikari", hikari, 5000, cluster).throughput();
							starterRps = LoadHarness.run(profile, "starter", router, 5000, cluster).throughput();
						}
						else {
							starterRps = LoadHarness.run(profile, "starter", router, 5000, cluster).throughput();
							hikariRps = LoadHarness.run(profile, "hikari", hikari, 5000, cluster).throughput();
						}
						double ratio = starterRps / hikariRps;
						ratios.computeIfAbsent(profile.name(), (key) -> new ArrayList<>()).add(ratio);
						csv.append(String.format(Locale.ROOT, "%s,%d,%s,%.0f,%.0f,%.4f%n", LocalDate.now(), round,
								profile.name(), hikariRps, starterRps, ratio));
					}
				}
			}
		}
		Files.writeString(out.resolve("load-paired.csv"), csv);
		System.out.println(
				"starter / HikariCP with the same settings, median [min - max] over " + ROUNDS + " paired rounds:");
		ratios.forEach((profile, values) -> {
			double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
			System.out.printf(Locale.ROOT, "%-8s %.3fx [%.3f - %.3f]%n", profile, sorted[sorted.length / 2], sorted[0],
					sorted[sorted.length - 1]);
		});
	}

	private static HikariDataSource sameSettings(EmbeddedPostgresCluster cluster) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(cluster.primary().jdbcUrl(LoadHarness.DB));
		dataSource.setUsername(cluster.username());
		dataSource.setPassword(cluster.password());
		dataSource.setMaximumPoolSize(10);
		dataSource.setMinimumIdle(2);
		dataSource.setConnectionTimeout(5000);
		return dataSource;
	}

}
