package dev.pool.sample;

import java.util.ArrayList;
import java.util.List;

import dev.pool.test.EmbeddedMariaDbCluster;
import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.EmbeddedPostgresProperties;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs the sample on a fresh embedded PostgreSQL primary + 1 streaming replica:
 * {@code ./mvnw -pl sample-app -am spring-boot:test-run}; on a MariaDB primary + 1 GTID
 * replica with {@code SAMPLE_DATABASE=mariadb} in the environment.
 */
public final class TestSampleApplication {

	private TestSampleApplication() {
	}

	public static void main(String[] args) {
		// SAMPLE_DATABASE=mariadb: the environment reaches the application that
		// spring-boot:test-run forks; -Dsample.database=mariadb when run directly.
		if ("mariadb".equals(System.getProperty("sample.database", System.getenv("SAMPLE_DATABASE")))) {
			EmbeddedMariaDbCluster cluster = EmbeddedMariaDbCluster.start(1);
			List<String> arguments = new ArrayList<>(SampleMariaDb.arguments(cluster));
			arguments.addAll(List.of(args));
			run(arguments, cluster);
			return;
		}
		// One shutdown hook, in order: the application drains and stops, then the
		// database goes.
		EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder().replicas(1).shutdownHook(false).start();
		cluster.createDatabase("sample");
		List<String> arguments = new ArrayList<>();
		EmbeddedPostgresProperties.of(cluster, "sample")
			.forEach((name, value) -> arguments.add("--" + name + "=" + value));
		// The tenants' databases (tenant pools are primary-only) and the reporting one.
		for (String tenant : List.of("acme", "globex", "initech")) {
			cluster.createDatabase("sample_" + tenant);
		}
		arguments.add("--app.datasource.tenants.url-template=" + cluster.primary().jdbcUrl("sample_{tenant}"));
		arguments.add("--app.datasource.extra.reporting.url=" + cluster.primary().jdbcUrl("sample"));
		arguments.add("--app.datasource.extra.reporting.username=" + cluster.username());
		arguments.add("--app.datasource.extra.reporting.password=" + cluster.password());
		arguments.addAll(List.of(args));
		run(arguments, cluster);
	}

	private static void run(List<String> arguments, AutoCloseable cluster) {
		SpringApplication application = new SpringApplication(SampleApplication.class);
		// Not deduced from this launcher: with -Dspring.aot.enabled=true the generated
		// initializer is looked up by the main class.
		application.setMainApplicationClass(SampleApplication.class);
		application.setRegisterShutdownHook(false);
		ConfigurableApplicationContext context = application.run(arguments.toArray(String[]::new));
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			context.close();
			try {
				cluster.close();
			}
			catch (Exception ex) {
				System.err.println("Could not stop the database: " + ex.getMessage());
			}
		}, "sample-shutdown"));
	}

}
