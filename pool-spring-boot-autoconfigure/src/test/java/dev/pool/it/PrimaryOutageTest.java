package dev.pool.it;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import dev.pool.internal.breaker.CircuitBreakerPrimaryGuard;
import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.EmbeddedPostgresProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The primary really dies and comes back: health and readiness go DOWN (503), the circuit
 * breaker makes requests fail fast, and service resumes without restarting the
 * application.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class PrimaryOutageTest {

	private static final String DB = "outage";

	private static EmbeddedPostgresCluster cluster;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		cluster = EmbeddedPostgresCluster.builder().replicas(1).start();
		cluster.createDatabase(DB);
		EmbeddedPostgresProperties.register(registry, cluster, DB);
		registry.add("app.datasource.primary.maximum-pool-size", () -> "4");
		registry.add("app.datasource.primary.connection-timeout", () -> "1s");
		registry.add("app.datasource.primary.validation-timeout", () -> "1s");
		registry.add("app.datasource.circuit-breaker.failure-threshold", () -> "3");
		registry.add("app.datasource.circuit-breaker.open-duration", () -> "3s");
		registry.add("app.datasource.drain.timeout", () -> "1s");
		registry.add("management.endpoints.web.exposure.include", () -> "health");
		registry.add("management.endpoint.health.show-details", () -> "always");
		registry.add("management.endpoint.health.probes.enabled", () -> "true");
		registry.add("management.endpoint.health.group.readiness.include", () -> "readinessState,db");
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	@LocalServerPort
	int port;

	@Autowired
	CircuitBreakerPrimaryGuard guard;

	@Test
	void primaryDownMeansDownThenFastFailuresThenRecovery() {
		assertThat(Http.get(this.port, "/actuator/health").statusCode()).isEqualTo(200);
		assertThat(Http.get(this.port, "/actuator/health/readiness").statusCode()).isEqualTo(200);
		assertThat(Http.postJson(this.port, "/write", "{}").statusCode()).isEqualTo(200);

		cluster.primary().kill();

		HttpResponse<String> health = Http.get(this.port, "/actuator/health");
		assertThat(health.statusCode()).isEqualTo(503);
		assertThat(JsonPath.parse(health.body()).read("$.components.db.details.primary.status", String.class))
			.isEqualTo("DOWN");
		assertThat(Http.get(this.port, "/actuator/health/readiness").statusCode()).isEqualTo(503);
		// Reads keep working from the replica.
		assertThat(Http.get(this.port, "/read").statusCode()).isEqualTo(200);

		// Until the breaker opens, each write waits up to connection-timeout for a
		// connection.
		await().atMost(20, TimeUnit.SECONDS).pollDelay(Duration.ZERO).until(() -> {
			HttpResponse<String> response = Http.postJson(this.port, "/write", "{}");
			assertThat(response.statusCode()).isEqualTo(503);
			return this.guard.state().equals("OPEN");
		});
		List<Long> millis = new ArrayList<>();
		for (int i = 0; i < 9; i++) {
			long start = System.nanoTime();
			HttpResponse<String> response = Http.postJson(this.port, "/write", "{}");
			millis.add((System.nanoTime() - start) / 1_000_000);
			assertThat(response.statusCode()).isEqualTo(503);
			assertThat(response.headers().firstValue("Retry-After"))
				.hasValueSatisfying((seconds) -> assertThat(Integer.parseInt(seconds)).isBetween(1, 3));
			assertThat(response.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		}
		millis.sort(Long::compare);
		// Without the breaker each would wait connection-timeout (1 s) for a connection.
		assertThat(millis.get(millis.size() / 2)).as("median ms with the breaker open").isLessThan(500);

		cluster.primary().start();
		await().atMost(20, TimeUnit.SECONDS)
			.untilAsserted(() -> assertThat(Http.postJson(this.port, "/write", "{}").statusCode()).isEqualTo(200));
		assertThat(this.guard.state()).isEqualTo("CLOSED");
		assertThat(Http.get(this.port, "/actuator/health").statusCode()).isEqualTo(200);
		assertThat(Http.get(this.port, "/actuator/health/readiness").statusCode()).isEqualTo(200);
	}

}
