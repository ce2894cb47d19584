package dev.pool.it;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.EmbeddedPostgresProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
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
 * The primary really dies under load and comes back, with HikariCP's default 30 s
 * {@code connection-timeout}: requests already queued for a connection and requests sent
 * right after the kill all get 503 within seconds (the refused connection attempts open
 * the breaker, which ends the waits), health and readiness go DOWN at the next check, and
 * service resumes without restarting the application.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class PrimaryOutageTests {

	private static final String DB = "outage";

	// Generous bounds for a shared 2-core machine; the targets are 1-5 s and
	// 200 ms, and the note reports the measured times.
	private static final long ALL_ANSWERED_MILLIS = 5_000;

	private static final long OPEN_ANSWER_MILLIS = 1_000;

	private static EmbeddedPostgresCluster cluster;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		cluster = EmbeddedPostgresCluster.builder().replicas(1).start();
		cluster.createDatabase(DB);
		EmbeddedPostgresProperties.register(registry, cluster, DB);
		registry.add("app.datasource.primary.maximum-pool-size", () -> "4");
		registry.add("app.datasource.primary.connection-timeout", () -> "30s");
		registry.add("app.datasource.primary.validation-timeout", () -> "1s");
		registry.add("app.datasource.circuit-breaker.open-duration", () -> "3s");
		registry.add("app.datasource.drain.timeout", () -> "1s");
		registry.add("management.endpoints.web.exposure.include", () -> "health,metrics");
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
	LiveTopology topology;

	private final ExecutorService clients = Executors.newFixedThreadPool(24);

	@AfterEach
	void stopClients() {
		this.clients.shutdownNow();
	}

	@Test
	void requestsQueuedWhenThePrimaryDiesGet503WithinSecondsThenEveryRequestAtOnce() throws Exception {
		assertThat(Http.postJson(this.port, "/write", "{}").statusCode()).isEqualTo(200);
		// The pool's 4 connections busy, 16 more requests queued for one.
		List<Future<Timed>> busy = send(4, () -> Http.get(this.port, "/slow?millis=60000"));
		await().atMost(10, TimeUnit.SECONDS)
			.until(() -> this.topology.current().primary().pool().snapshot().active() == 4);
		List<Future<Timed>> queued = send(16, () -> Http.postJson(this.port, "/write", "{}"));
		await().atMost(10, TimeUnit.SECONDS)
			.until(() -> this.topology.current().primary().pool().snapshot().waiting() == 16);

		long killedAt = System.nanoTime();
		cluster.primary().kill();

		List<Long> millis = answeredWith503(queued, killedAt);
		answeredWith503(busy, killedAt);
		report("16 queued + 4 in flight at the kill", millis);
		assertThat(millis.get(millis.size() - 1)).as("ms from the kill to the last 503")
			.isLessThan(ALL_ANSWERED_MILLIS);
		assertThat(breaker()).isEqualTo("OPEN");
		assertThat(acquisitionTimeouts()).as("waits ended by the breaker, none timed out").isZero();

		long start = System.nanoTime();
		HttpResponse<String> refused = Http.postJson(this.port, "/write", "{}");
		long openMillis = (System.nanoTime() - start) / 1_000_000;
		System.out.println("[outage] a request once the breaker is open: 503 in " + openMillis + " ms");
		assertThat(refused.statusCode()).isEqualTo(503);
		assertThat(openMillis).isLessThan(OPEN_ANSWER_MILLIS);

		HttpResponse<String> health = Http.get(this.port, "/actuator/health");
		assertThat(health.statusCode()).isEqualTo(503);
		System.out.println("[outage] health while open: " + health.body());
		DocumentContext details = JsonPath.parse(health.body());
		assertThat(details.read("$.components.db.details.primary.status", String.class)).isEqualTo("DOWN");
		assertThat(details.read("$.components.db.details.primary.circuitBreaker.state", String.class))
			.isEqualTo("OPEN");
		assertThat(Http.get(this.port, "/actuator/health/readiness").statusCode()).isEqualTo(503);
		// Reads keep working from the replica.
		assertThat(Http.get(this.port, "/read").statusCode()).isEqualTo(200);

		recover();
	}

	@Test
	void twentyRequestsSentRightAfterTheKillAllGet503WithinSeconds() throws Exception {
		assertThat(Http.postJson(this.port, "/write", "{}").statusCode()).isEqualTo(200);
		long killedAt = System.nanoTime();
		cluster.primary().kill();
		List<Long> millis = answeredWith503(send(20, () -> Http.postJson(this.port, "/write", "{}")), killedAt);
		report("20 sent right after the kill", millis);
		assertThat(millis.get(millis.size() - 1)).as("ms from the kill to the last 503")
			.isLessThan(ALL_ANSWERED_MILLIS);
		assertThat(breaker()).isEqualTo("OPEN");
		assertThat(acquisitionTimeouts()).isZero();
		recover();
	}

	private void recover() {
		cluster.primary().start();
		await().atMost(20, TimeUnit.SECONDS)
			.untilAsserted(() -> assertThat(Http.postJson(this.port, "/write", "{}").statusCode()).isEqualTo(200));
		assertThat(breaker()).isEqualTo("CLOSED");
		assertThat(Http.get(this.port, "/actuator/health").statusCode()).isEqualTo(200);
		assertThat(Http.get(this.port, "/actuator/health/readiness").statusCode()).isEqualTo(200);
	}

	private List<Future<Timed>> send(int count, Supplier<HttpResponse<String>> request) {
		List<Future<Timed>> sent = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			sent.add(this.clients.submit(() -> new Timed(request.get(), System.nanoTime())));
		}
		return sent;
	}

	private static List<Long> answeredWith503(List<Future<Timed>> requests, long killedAt) throws Exception {
		List<Long> millis = new ArrayList<>();
		for (Future<Timed> request : requests) {
			Timed answer = request.get(40, TimeUnit.SECONDS);
			assertThat(answer.response().statusCode()).isEqualTo(503);
			assertThat(answer.response().headers().firstValue("Retry-After"))
				.hasValueSatisfying((seconds) -> assertThat(Integer.parseInt(seconds)).isBetween(1, 3));
			millis.add(Math.max(0, (answer.endNanos() - killedAt) / 1_000_000));
		}
		millis.sort(Long::compare);
		return millis;
	}

	private double acquisitionTimeouts() {
		HttpResponse<String> response = Http.get(this.port,
				"/actuator/metrics/hikaricp.connections.timeout?tag=pool:primary");
		return JsonPath.parse(response.body()).read("$.measurements[0].value", Double.class);
	}

	private static void report(String what, List<Long> millis) {
		System.out.println("[outage] " + what + ": 503 after " + millis.get(0) + "-" + millis.get(millis.size() - 1)
				+ " ms (median " + millis.get(millis.size() / 2) + " ms), connection-timeout 30000 ms");
	}

	private record Timed(HttpResponse<String> response, long endNanos) {
	}

	private String breaker() {
		return this.topology.current().primary().breaker().state();
	}

}
