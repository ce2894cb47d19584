package dev.pool.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.EmbeddedPostgresProperties;
import dev.pool.test.SharedEmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as {@code spring-boot:process-aot} generated it, run with
 * {@code spring.aot.enabled=true} (this test's surefire execution sets it): routing,
 * {@code @ReadOnly}, health, metrics, the pools endpoint and the drain, with no bean
 * definition read from a class at run time.
 */
@ExtendWith(OutputCaptureExtension.class)
class SampleApplicationAotTests {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	void theAheadOfTimeProcessedSampleServesEveryFeature(CapturedOutput output) throws Exception {
		assertThat(AotDetector.useGeneratedArtifacts()).as("spring.aot.enabled").isTrue();
		EmbeddedPostgresCluster cluster = SharedEmbeddedPostgres.withDatabase("sample_aot");
		List<String> args = new ArrayList<>();
		EmbeddedPostgresProperties.of(cluster, "sample_aot").forEach((name, value) -> {
			// The processed context knows replica-1, from application.yml at build time.
			if (!name.startsWith("app.datasource.replicas.") || name.contains(".replica-1.")) {
				args.add("--" + name + "=" + value);
			}
		});
		args.add("--server.port=0");
		SpringApplication application = new SpringApplication(SampleApplication.class);
		// The generated initializer is found by the main class, which here is not on the
		// stack.
		application.setMainApplicationClass(SampleApplication.class);
		ConfigurableApplicationContext context = application.run(args.toArray(String[]::new));
		try {
			assertThat(context.getClass().getName()).contains("ServletWebServerApplicationContext");
			assertThat(output).contains("Starting AOT-processed SampleApplication");
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			HttpResponse<String> opened = post(port, "/accounts", "{\"owner\":\"aot\",\"initialDeposit\":10}");
			assertThat(opened.statusCode()).isEqualTo(201);
			assertThat(JsonPath.parse(opened.body()).read("$.servedBy", String.class)).isEqualTo("primary");
			long id = JsonPath.parse(opened.body()).read("$.id", Long.class);
			cluster.awaitReplication();
			HttpResponse<String> read = get(port, "/accounts/" + id);
			assertThat(JsonPath.parse(read.body()).read("$.servedBy", String.class)).isEqualTo("replica");
			DocumentContext health = JsonPath.parse(get(port, "/actuator/health").body());
			assertThat(health.read("$.components.db.status", String.class)).isEqualTo("UP");
			assertThat(health.read("$.components.db.details['replica-1'].status", String.class)).isEqualTo("UP");
			assertThat(get(port, "/actuator/metrics/pool.routing.decisions?tag=reason:read-only").statusCode())
				.isEqualTo(200);
			DocumentContext pools = JsonPath.parse(get(port, "/actuator/pools").body());
			assertThat(pools.read("$.pools.primary.role", String.class)).isEqualTo("primary");
			assertThat(pools.read("$.diagnosis[*].issue", List.class)).isNotEmpty();
			assertThat(get(port, "/actuator/pools/nope").statusCode()).isEqualTo(404);
		}
		finally {
			context.close();
		}
		assertThat(output).contains("Pool 'primary' drained: 0 active at start")
			.contains("Pool 'replica-1' drained: 0 active at start");
	}

	private static HttpResponse<String> get(int port, String path) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> post(int port, String path, String json) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
