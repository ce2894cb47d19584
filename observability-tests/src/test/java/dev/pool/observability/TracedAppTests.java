package dev.pool.observability;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.EmbeddedPostgresProperties;
import dev.pool.test.PostgresNode;
import dev.pool.test.SharedEmbeddedPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The starter under the JDBC instrumentation users already run, on the embedded cluster:
 * datasource-micrometer wraps the routing DataSource (and asks every connection for its
 * URL as soon as it is handed out), OpenTelemetry exports the spans, Resilience4j's
 * Spring Boot module owns the CircuitBreakerRegistry. Reads still reach replicas, a
 * writer still reads its write with replicas seconds behind, the spans name the pool that
 * served, and the primary's breaker is one of Resilience4j's.
 */
@SpringBootTest(classes = TracedApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TracedAppTests {

	private static final String DB = "traced_app";

	private static final AttributeKey<String> POOL = AttributeKey.stringKey("pool");

	private static final AttributeKey<String> JDBC_POOL = AttributeKey.stringKey("jdbc.datasource.pool");

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws SQLException {
		EmbeddedPostgresCluster cluster = SharedEmbeddedPostgres.withDatabase(DB);
		try (Connection connection = cluster.primary().connect(DB);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE IF NOT EXISTS traced_note (id bigserial PRIMARY KEY, text text NOT NULL)");
		}
		cluster.awaitReplication();
		EmbeddedPostgresProperties.register(registry, cluster, DB);
		registry.add("app.datasource.primary.maximum-pool-size", () -> "4");
		// A delayed replica stays in routing: read-your-writes alone decides.
		registry.add("app.datasource.routing.max-replica-lag", () -> "0");
		registry.add("management.endpoints.web.exposure.include", () -> "health,metrics,pools,circuitbreakers");
		registry.add("management.tracing.sampling.probability", () -> "1.0");
		registry.add("management.opentelemetry.tracing.export.schedule-delay", () -> "100ms");
		registry.add("spring.application.name", () -> "traced");
	}

	@LocalServerPort
	int port;

	@Autowired
	DataSource dataSource;

	@Autowired
	TracedApp.Spans spans;

	@Autowired
	MeterRegistry meters;

	@BeforeEach
	void clear() {
		this.spans.finished.clear();
	}

	@Test
	void readOnlyMethodsAndReadOnlyTransactionsStillReachReplicas() throws Exception {
		assertThat(Proxy.isProxyClass(this.dataSource.getClass()))
			.as("the application's DataSource is datasource-micrometer's proxy of the router")
			.isTrue();
		HttpClient client = HttpClient.newHttpClient();
		for (int i = 0; i < 10; i++) {
			assertThat(get(client, "/node").body()).as("@ReadOnly").startsWith("true:");
			assertThat(get(client, "/node/transaction").body()).as("@Transactional(readOnly = true)")
				.startsWith("true:");
		}
	}

	@Test
	void aWriterReadsItsWriteWhileTheReplicasAreBehind() throws Exception {
		EmbeddedPostgresCluster cluster = SharedEmbeddedPostgres.cluster();
		for (PostgresNode replica : cluster.replicas()) {
			replica.setReplayDelay(Duration.ofSeconds(3));
		}
		try {
			HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
			for (int i = 0; i < 20; i++) {
				HttpResponse<String> added = browser.send(HttpRequest.newBuilder(uri("/notes?text=traced-" + i))
					.POST(HttpRequest.BodyPublishers.noBody())
					.build(), HttpResponse.BodyHandlers.ofString());
				assertThat(added.statusCode()).isEqualTo(200);
				String id = added.body().replaceAll("\\D", "");
				assertThat(get(browser, "/notes?id=" + id).body()).as("read %d after its write", i)
					.isEqualTo("traced-" + i + "@false");
			}
		}
		finally {
			for (PostgresNode replica : cluster.replicas()) {
				replica.setReplayDelay(Duration.ZERO);
			}
		}
	}

	@Test
	void theSpansOfARequestNameThePoolThatServedIt() throws Exception {
		assertThat(get(HttpClient.newHttpClient(), "/node/transaction").body()).startsWith("true:");
		List<SpanData> spans = await().atMost(10, TimeUnit.SECONDS)
			.until(() -> List.copyOf(this.spans.finished),
					(finished) -> finished.stream().anyMatch((span) -> span.getName().startsWith("borrow"))
							&& finished.stream().anyMatch((span) -> span.getName().startsWith("http"))
							&& finished.stream().anyMatch((span) -> span.getAttributes().get(JDBC_POOL) != null));
		SpanData borrow = spans.stream()
			.filter((span) -> span.getName().startsWith("borrow"))
			.findFirst()
			.orElseThrow();
		String pool = borrow.getAttributes().get(POOL);
		assertThat(pool).matches("replica-[12]");
		assertThat(borrow.getName()).isEqualTo("borrow " + pool);
		assertThat(borrow.getAttributes().get(AttributeKey.stringKey("role"))).isEqualTo("replica");
		assertThat(borrow.getAttributes().get(AttributeKey.stringKey("reason"))).isEqualTo("read-only");
		SpanData query = spans.stream()
			.filter((span) -> span.getAttributes().get(JDBC_POOL) != null)
			.findFirst()
			.orElseThrow();
		assertThat(query.getAttributes().get(JDBC_POOL)).as("datasource-micrometer's query span").isEqualTo(pool);
		assertThat(query.getTraceId()).isEqualTo(borrow.getTraceId());
		SpanData request = spans.stream().filter((span) -> span.getName().startsWith("http")).findFirst().orElseThrow();
		assertThat(borrow.getTraceId()).isEqualTo(request.getTraceId());
		dump(spans.stream().filter((span) -> span.getTraceId().equals(request.getTraceId())).toList());
	}

	@Test
	void thePrimarysBreakerIsOneOfResilience4jsCircuitBreakers() throws Exception {
		HttpResponse<String> breakers = get(HttpClient.newHttpClient(), "/actuator/circuitbreakers");
		assertThat(breakers.statusCode()).isEqualTo(200);
		assertThat(breakers.body()).contains("\"pool-primary\"").contains("CLOSED");
		Files.writeString(Path.of("target", "circuitbreakers.json"), breakers.body() + "\n");
		assertThat(this.meters.get("resilience4j.circuitbreaker.state")
			.tag("name", "pool-primary")
			.tag("state", "closed")
			.gauge()
			.value()).isEqualTo(1.0);
	}

	// The trace as docs/observability.md shows it: one line per span, parents first.
	private static void dump(List<SpanData> trace) throws IOException {
		String lines = trace.stream()
			.sorted((a, b) -> Long.compare(a.getStartEpochNanos(), b.getStartEpochNanos()))
			.map((span) -> String.format("%-28s %-16s parent=%-16s %6.2f ms  %s", span.getName(), span.getSpanId(),
					span.getParentSpanId(), (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1e6,
					span.getAttributes()
						.asMap()
						.entrySet()
						.stream()
						.map((entry) -> entry.getKey().getKey() + "=" + entry.getValue())
						.sorted()
						.collect(Collectors.joining(", "))))
			.collect(Collectors.joining("\n"));
		Path file = Path.of("target", "trace-dump.txt");
		Files.writeString(file, lines + "\n");
		System.out.println("[trace]\n" + lines);
	}

	private HttpResponse<String> get(HttpClient client, String path) throws IOException, InterruptedException {
		return client.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
