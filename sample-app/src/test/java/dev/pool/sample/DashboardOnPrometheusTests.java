package dev.pool.sample;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import com.zaxxer.hikari.HikariDataSource;
import dev.pool.test.PostgresNode;
import dev.pool.test.SharedEmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Grafana dashboard against a real Prometheus (Debian's {@code prometheus} package,
 * which {@code scripts/install-ha-packages.sh} installs): Prometheus scrapes the running
 * sample every second, and every PromQL expression of
 * {@code docs/grafana/pool-dashboard.json}, with Grafana's variables filled in, must
 * parse and return data; the replica-lag panel shows a real replay delay and the 503
 * panel a real exhaustion.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DashboardOnPrometheusTests {

	private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

	private static final Path DASHBOARD = Path.of("..", "docs", "grafana", "pool-dashboard.json");

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		SampleDatabase.register(registry, "sample_dashboard");
		registry.add("app.datasource.routing.health-check-interval", () -> "500ms");
	}

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("primaryDataSource")
	HikariDataSource primaryPool;

	@TempDir
	Path work;

	private Process prometheus;

	@AfterEach
	void stop() throws InterruptedException {
		for (PostgresNode replica : SharedEmbeddedPostgres.cluster().replicas()) {
			replica.setReplayDelay(Duration.ZERO);
		}
		if (this.prometheus != null) {
			this.prometheus.destroy();
			if (!this.prometheus.waitFor(10, TimeUnit.SECONDS)) {
				this.prometheus.destroyForcibly();
			}
		}
	}

	@Test
	void everyDashboardQueryReturnsDataFromARealPrometheus() throws Exception {
		assertThat(PROMETHEUS).as("Prometheus is not installed: scripts/install-ha-packages.sh (as root) installs it")
			.isExecutable();
		int prometheusPort = freePort();
		startPrometheus(prometheusPort);
		long account = JsonPath.parse(post("/accounts", "{\"owner\":\"erin\",\"initialDeposit\":100}").body())
			.read("$.id", Long.class);
		// Traffic for every panel: reads, writes, a tenant's pool.
		for (int i = 0; i < 20; i++) {
			assertThat(get("/accounts/" + account).statusCode()).isEqualTo(200);
			assertThat(post("/accounts/" + account + "/deposits", "{\"amount\":1}").statusCode()).isEqualTo(200);
		}
		assertThat(send(HttpRequest.newBuilder(uri("/tenant-notes")).header("X-Tenant-ID", "acme").GET().build())
			.statusCode()).isEqualTo(200);
		// A real exhaustion: every primary connection held, writes get 503. Twice: a rate
		// needs the 503 series scraped before it grows (its first sample is no increase),
		// as in production where 503s come more than once.
		exhaust(account, 1);
		await().atMost(30, TimeUnit.SECONDS)
			.pollInterval(Duration.ofMillis(500))
			.until(() -> query(prometheusPort, "http_server_requests_seconds_count{status=\"503\"}")
				.read("$.data.result.length()", Integer.class) > 0);
		exhaust(account, 3);
		// A real replay delay, with writes going on so the replicas fall behind.
		for (PostgresNode replica : SharedEmbeddedPostgres.cluster().replicas()) {
			replica.setReplayDelay(Duration.ofSeconds(3));
		}
		AtomicBoolean writing = new AtomicBoolean(true);
		Thread writer = new Thread(() -> {
			while (writing.get()) {
				post("/accounts/" + account + "/deposits", "{\"amount\":1}");
			}
		}, "dashboard-writer");
		writer.start();
		Map<String, String> expressions = expressions();
		Map<String, DocumentContext> answers = new LinkedHashMap<>();
		try {
			await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
				for (Map.Entry<String, String> expression : expressions.entrySet()) {
					DocumentContext answer = query(prometheusPort, expression.getValue());
					answers.put(expression.getKey(), answer);
					assertThat(answer.read("$.status", String.class)).as(expression.getKey()).isEqualTo("success");
					assertThat(answer.read("$.data.result.length()", Integer.class))
						.as("series for %s: %s", expression.getKey(), expression.getValue())
						.isPositive();
				}
				assertThat(maximum(answers.get("Replica lag / A"))).as("replica lag, seconds").isGreaterThan(1.0);
				assertThat(maximum(answers.get("Acquire timeouts and 503s / C"))).as("503s per second").isPositive();
				assertThat(maximum(answers.get("Acquire timeouts and 503s / B"))).as("pool.exhausted per second")
					.isPositive();
			});
		}
		finally {
			writing.set(false);
			writer.join(10_000);
		}
		answers.forEach((panel, answer) -> System.out.println("[dashboard] " + panel + ": "
				+ answer.read("$.data.result.length()", Integer.class) + " series, max " + maximum(answer)));
	}

	private void exhaust(long account, int requests) throws Exception {
		List<Connection> held = new ArrayList<>();
		try {
			for (int i = 0; i < 4; i++) {
				held.add(this.primaryPool.getConnection());
			}
			for (int i = 0; i < requests; i++) {
				assertThat(post("/accounts/" + account + "/deposits", "{\"amount\":1}").statusCode()).isEqualTo(503);
			}
		}
		finally {
			for (Connection connection : held) {
				connection.close();
			}
		}
	}

	// Every panel target, keyed "<panel title> / <refId>", with Grafana's variables as
	// Grafana fills them: All instances, and the rate interval of a dashboard showing the
	// last hours (a minute), so the 503s of the exhaustion stay in the window while the
	// replicas fall behind.
	private static Map<String, String> expressions() throws IOException {
		String json = Files.readString(DASHBOARD);
		List<Map<String, Object>> panels = JsonPath.read(json, "$.panels[*]");
		Map<String, String> expressions = new LinkedHashMap<>();
		for (Map<String, Object> panel : panels) {
			@SuppressWarnings("unchecked")
			List<Map<String, Object>> targets = (List<Map<String, Object>>) panel.getOrDefault("targets", List.of());
			for (Map<String, Object> target : targets) {
				String expression = ((String) target.get("expr")).replace("$instance", ".*")
					.replace("$__rate_interval", "1m");
				expressions.put(panel.get("title") + " / " + target.get("refId"), expression);
			}
		}
		assertThat(expressions).hasSizeGreaterThanOrEqualTo(18);
		return expressions;
	}

	private static double maximum(DocumentContext answer) {
		List<String> values = answer.read("$.data.result[*].value[1]");
		return values.stream().mapToDouble(Double::parseDouble).filter((value) -> !Double.isNaN(value)).max().orElse(0);
	}

	private void startPrometheus(int prometheusPort) throws Exception {
		Path config = this.work.resolve("prometheus.yml");
		Files.writeString(config, """
				global:
				  scrape_interval: 1s
				  evaluation_interval: 1s
				scrape_configs:
				  - job_name: sample
				    metrics_path: /actuator/prometheus
				    static_configs:
				      - targets: ['127.0.0.1:%d']
				""".formatted(this.port));
		Path log = Path.of("target", "prometheus.log");
		this.prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
				"--storage.tsdb.path=" + this.work.resolve("data"), "--web.listen-address=127.0.0.1:" + prometheusPort)
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		await().atMost(30, TimeUnit.SECONDS)
			.ignoreExceptions()
			.until(() -> HTTP
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + "/-/ready")).build(),
						HttpResponse.BodyHandlers.discarding())
				.statusCode() == 200);
	}

	private static DocumentContext query(int prometheusPort, String expression) throws Exception {
		URI uri = URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/query?query="
				+ URLEncoder.encode(expression, StandardCharsets.UTF_8));
		HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).build(),
				HttpResponse.BodyHandlers.ofString());
		return JsonPath.parse(response.body());
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(uri(path)).GET().build());
	}

	private HttpResponse<String> post(String path, String json) {
		return send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build());
	}

	private static HttpResponse<String> send(HttpRequest request) {
		try {
			return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
