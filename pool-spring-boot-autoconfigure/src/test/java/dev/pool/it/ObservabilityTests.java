package dev.pool.it;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import com.zaxxer.hikari.HikariDataSource;
import dev.pool.test.EmbeddedPostgresProperties;
import dev.pool.test.SharedEmbeddedPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Health, meters and the pools endpoint over HTTP, on the shared cluster with every node
 * up.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ObservabilityTests {

	private static final String DB = "observability_test";

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		EmbeddedPostgresProperties.register(registry, DB);
		registry.add("spring.application.name", () -> "observed");
		registry.add("app.datasource.primary.maximum-pool-size", () -> "4");
		registry.add("app.datasource.primary.minimum-idle", () -> "1");
		registry.add("app.datasource.primary.connection-timeout", () -> "3s");
		registry.add("app.datasource.routing.health-check-interval", () -> "500ms");
		registry.add("management.endpoints.web.exposure.include", () -> "health,metrics,pools");
		registry.add("management.endpoint.health.show-details", () -> "always");
	}

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("primaryDataSource")
	HikariDataSource primary;

	@Test
	void healthIsUpWithEveryPoolInTheDetails() {
		await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
			HttpResponse<String> response = Http.get(this.port, "/actuator/health");
			assertThat(response.statusCode()).isEqualTo(200);
			DocumentContext json = JsonPath.parse(response.body());
			assertThat(json.read("$.status", String.class)).isEqualTo("UP");
			assertThat(json.read("$.components.db.status", String.class)).isEqualTo("UP");
			for (String pool : List.of("primary", "replica-1", "replica-2")) {
				String base = "$.components.db.details['" + pool + "']";
				assertThat(json.read(base + ".status", String.class)).isEqualTo("UP");
				assertThat(json.read(base + ".role", String.class))
					.isEqualTo(pool.equals("primary") ? "primary" : "replica");
				assertThat(json.read(base + ".connections.max", Integer.class)).isEqualTo(4);
				assertThat(json.read(base + ".connections.saturation", String.class)).isEqualTo("OK");
				assertThat(
						json.read(base + (pool.equals("primary") ? ".validationMs" : ".replica.checkMs"), Double.class))
					.isPositive();
			}
			assertThat(json.read("$.components.db.details['replica-1'].replica.lagSeconds", Double.class)).isNotNull();
		});
	}

	@Test
	void saturationIsComputedFromConnectionsReallyHeld() throws Exception {
		List<Connection> held = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				held.add(this.primary.getConnection());
			}
			DocumentContext warning = JsonPath.parse(Http.get(this.port, "/actuator/health/db").body());
			assertThat(warning.read("$.details.primary.connections.active", Integer.class)).isEqualTo(3);
			assertThat(warning.read("$.details.primary.connections.utilization", Double.class)).isEqualTo(0.75);
			assertThat(warning.read("$.details.primary.connections.saturation", String.class)).isEqualTo("WARNING");
			held.add(this.primary.getConnection());
			HttpResponse<String> critical = Http.get(this.port, "/actuator/health/db");
			DocumentContext json = JsonPath.parse(critical.body());
			assertThat(json.read("$.details.primary.connections.active", Integer.class)).isEqualTo(4);
			assertThat(json.read("$.details.primary.connections.saturation", String.class)).isEqualTo("CRITICAL");
			// Saturation never turns the status DOWN.
			assertThat(critical.statusCode()).isEqualTo(200);
			assertThat(json.read("$.status", String.class)).isEqualTo("UP");
		}
		finally {
			for (Connection connection : held) {
				connection.close();
			}
		}
	}

	@Test
	void metersAreTaggedAndCountRealTraffic() {
		for (int i = 0; i < 5; i++) {
			assertThat(Http.postJson(this.port, "/write", "{}").statusCode()).isEqualTo(200);
			assertThat(Http.get(this.port, "/read").body()).contains("true:");
		}
		DocumentContext writes = JsonPath
			.parse(Http.get(this.port, "/actuator/metrics/pool.routing.decisions?tag=target:primary&tag=reason:write")
				.body());
		assertThat(writes.read("$.measurements[0].value", Double.class)).isGreaterThanOrEqualTo(5);
		assertThat(writes.read("$.baseUnit", String.class)).isEqualTo("connections");
		assertThat(writes.read("$.description", String.class)).isNotBlank();
		DocumentContext reads = JsonPath
			.parse(Http.get(this.port, "/actuator/metrics/pool.routing.decisions?tag=reason:read-only").body());
		assertThat(reads.read("$.measurements[0].value", Double.class)).isGreaterThanOrEqualTo(5);
		assertThat(reads.read("$.availableTags[?(@.tag == 'target')].values[*]", List.class)).contains("replica-1",
				"replica-2");
		for (String pool : List.of("primary", "replica-1", "replica-2")) {
			HttpResponse<String> hikari = Http.get(this.port,
					"/actuator/metrics/hikaricp.connections.max?tag=pool:" + pool);
			assertThat(hikari.statusCode()).isEqualTo(200);
			assertThat(JsonPath.parse(hikari.body()).read("$.measurements[0].value", Double.class)).isEqualTo(4.0);
		}
		await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
			DocumentContext available = JsonPath
				.parse(Http.get(this.port, "/actuator/metrics/pool.replica.available?tag=pool:replica-1").body());
			assertThat(available.read("$.measurements[0].value", Double.class)).isEqualTo(1.0);
			DocumentContext lag = JsonPath
				.parse(Http.get(this.port, "/actuator/metrics/pool.replica.lag?tag=pool:replica-2").body());
			assertThat(lag.read("$.baseUnit", String.class)).isEqualTo("seconds");
			assertThat(lag.read("$.measurements[0].value", Double.class)).isBetween(0.0, 5.0);
		});
		HttpResponse<String> exhausted = Http.get(this.port, "/actuator/metrics/pool.exhausted?tag=pool:primary");
		assertThat(exhausted.statusCode()).isEqualTo(200);
	}

	@Test
	void poolsEndpointDescribesEveryPoolWithoutCredentials() {
		Http.postJson(this.port, "/write", "{}");
		HttpResponse<String> response = Http.get(this.port, "/actuator/pools");
		assertThat(response.statusCode()).isEqualTo(200);
		DocumentContext json = JsonPath.parse(response.body());
		assertThat(json.read("$.pools.primary.name", String.class)).isEqualTo("primary");
		assertThat(json.read("$.pools.primary.role", String.class)).isEqualTo("primary");
		assertThat(json.read("$.pools.primary.url", String.class))
			.isEqualTo(SharedEmbeddedPostgres.cluster().primary().jdbcUrl(DB));
		assertThat(json.read("$.pools.primary.settings.maximumPoolSize", Integer.class)).isEqualTo(4);
		assertThat(json.read("$.pools.primary.settings.minimumIdle", Integer.class)).isEqualTo(1);
		assertThat(json.read("$.pools.primary.settings.connectionTimeoutMs", Integer.class)).isEqualTo(3000);
		assertThat(json.read("$.pools.primary.connections.total", Integer.class)).isPositive();
		assertThat(json.read("$.pools.primary.connections.saturation", String.class)).isEqualTo("OK");
		assertThat(json.read("$.pools.primary.routing.write", Integer.class)).isPositive();
		assertThat(json.read("$.pools['replica-1'].role", String.class)).isEqualTo("replica");
		assertThat(json.read("$.pools['replica-1'].replica.status", String.class)).isEqualTo("UP");
		List<String> issues = json.read("$.diagnosis[*].issue");
		assertThat(issues).anySatisfy((issue) -> assertThat(issue).startsWith("Server max_connections is 300"));
		assertThat(issues).contains("Leak detection is off");
		HttpResponse<String> one = Http.get(this.port, "/actuator/pools/replica-2");
		assertThat(one.statusCode()).isEqualTo(200);
		assertThat(JsonPath.parse(one.body()).read("$.name", String.class)).isEqualTo("replica-2");
		HttpResponse<String> unknown = Http.get(this.port, "/actuator/pools/nope");
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(JsonPath.parse(unknown.body()).read("$.detail", String.class)).startsWith("No pool named 'nope'");
	}

	@Test
	void aBadResizeIsAnsweredWithTheFieldAndTheRuleItBreaks() {
		assertThat(problem("primary", "{\"maximumPoolSize\": \"ten\"}"))
			.isEqualTo("maximumPoolSize must be a whole number, got 'ten'");
		assertThat(problem("primary", "{\"maximumPoolSize\": 4.5}"))
			.isEqualTo("maximumPoolSize must be a whole number, got '4.5'");
		assertThat(problem("primary", "{\"minimumIdle\": -1}")).isEqualTo("minimumIdle must not be negative, got -1");
		assertThat(problem("primary", "{}")).isEqualTo("Give maximumPoolSize and/or minimumIdle, as whole numbers");
		assertThat(problem("primary", "{\"maximumPoolSize\": 0}"))
			.isEqualTo("maximumPoolSize must be at least 1, got 0");
		// One call must not let a pool take every connection the server has.
		assertThat(problem("primary", "{\"maximumPoolSize\": 100000}"))
			.startsWith("maximumPoolSize (100000) is more than the server at 127.0.0.1:"
					+ SharedEmbeddedPostgres.cluster().primary().port()
					+ " can give pool 'primary': max_connections 300, ")
			.contains(" reserved for superusers, ")
			.containsPattern("; at most [0-9]+$");
		assertThat(this.primary.getMaximumPoolSize()).isEqualTo(4);
		HttpResponse<String> unknown = Http.postJson(this.port, "/actuator/pools/nope", "{\"maximumPoolSize\": 5}");
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(JsonPath.parse(unknown.body()).read("$.detail", String.class)).startsWith("No pool named 'nope'");
	}

	private String problem(String pool, String body) {
		HttpResponse<String> response = Http.postJson(this.port, "/actuator/pools/" + pool, body);
		assertThat(response.statusCode()).as(body).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		DocumentContext json = JsonPath.parse(response.body());
		assertThat(json.read("$.status", Integer.class)).isEqualTo(400);
		assertThat(json.read("$.title", String.class)).isEqualTo("Bad Request");
		return json.read("$.detail", String.class);
	}

	@Test
	void noPasswordAppearsInHealthMetricsOrTheEndpoint() {
		String password = SharedEmbeddedPostgres.cluster().password();
		for (String path : List.of("/actuator/health", "/actuator/health/db", "/actuator/pools",
				"/actuator/pools/primary", "/actuator/pools/replica-1", "/actuator/metrics/pool.routing.decisions",
				"/actuator/metrics/hikaricp.connections")) {
			HttpResponse<String> response = Http.get(this.port, path);
			assertThat(response.statusCode()).as(path).isEqualTo(200);
			assertThat(response.body()).as(path).doesNotContain(password).doesNotContainIgnoringCase("password");
		}
	}

	@Test
	void runtimeResizeLetsAWaitingThreadThrough() throws Exception {
		HikariDataSource pool = this.primary;
		List<Connection> held = new ArrayList<>();
		try {
			for (int i = 0; i < 4; i++) {
				held.add(pool.getConnection());
			}
			CompletableFuture<Connection> waiting = CompletableFuture.supplyAsync(() -> {
				try {
					return pool.getConnection();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			await().atMost(2, TimeUnit.SECONDS)
				.until(() -> pool.getHikariPoolMXBean().getThreadsAwaitingConnection() == 1);
			assertThat(problem("primary", "{\"maximumPoolSize\": 5, \"minimumIdle\": 6}"))
				.isEqualTo("minimumIdle (6) must not exceed maximumPoolSize (5)");
			assertThat(pool.getHikariPoolMXBean().getThreadsAwaitingConnection()).isEqualTo(1);
			HttpResponse<String> resized = Http.postJson(this.port, "/actuator/pools/primary",
					"{\"maximumPoolSize\": 6}");
			assertThat(resized.statusCode()).isEqualTo(200);
			assertThat(JsonPath.parse(resized.body()).read("$.settings.maximumPoolSize", Integer.class)).isEqualTo(6);
			held.add(waiting.get(2, TimeUnit.SECONDS));
		}
		finally {
			for (Connection connection : held) {
				connection.close();
			}
			pool.getHikariConfigMXBean().setMaximumPoolSize(4);
		}
	}

}
