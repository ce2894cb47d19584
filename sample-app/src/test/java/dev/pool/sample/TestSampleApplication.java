package dev.pool.sample;

import java.util.ArrayList;
import java.util.List;

import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.EmbeddedPostgresProperties;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Runs the sample on a fresh embedded PostgreSQL primary + 1 streaming replica:
 * {@code ./mvnw -pl sample-app -am spring-boot:test-run}.
 */
public final class TestSampleApplication {

	private TestSampleApplication() {
	}

	public static void main(String[] args) {
		EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder().replicas(1).start();
		cluster.createDatabase("sample");
		List<String> arguments = new ArrayList<>();
		EmbeddedPostgresProperties.of(cluster, "sample").forEach((name, value) -> arguments.add("--" + name + "=" + value));
		arguments.addAll(List.of(args));
		SpringApplication application = new SpringApplication(SampleApplication.class);
		// Stop the cluster with the application rather than waiting for the JVM to exit.
		application.addListeners((ApplicationListener<ContextClosedEvent>) event -> cluster.close());
		application.run(arguments.toArray(String[]::new));
	}

}
