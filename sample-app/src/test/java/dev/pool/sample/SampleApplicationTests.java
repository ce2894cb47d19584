package dev.pool.sample;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import com.zaxxer.hikari.HikariDataSource;
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
 * The sample service end to end over HTTP, on the embedded primary + replica.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		SampleDatabase.register(registry, "sample_app");
	}

	@Test
	void eachTenantsNotesLiveInItsOwnDatabaseAndReportsUseTheReportingPool() throws Exception {
		for (String tenant : List.of("acme", "globex")) {
			HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(uri("/tenant-notes"))
				.header("Content-Type", "application/json")
				.header("X-Tenant-ID", tenant)
				.POST(HttpRequest.BodyPublishers.ofString("{\"body\":\"hello from " + tenant + "\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
			HttpResponse<String> listed = HTTP.send(
					HttpRequest.newBuilder(uri("/tenant-notes")).header("X-Tenant-ID", tenant).GET().build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(listed.statusCode()).isEqualTo(200);
			List<String> bodies = JsonPath.read(listed.body(), "$[*].body");
			assertThat(bodies).containsExactly("hello from " + tenant);
			List<String> databases = JsonPath.read(listed.body(), "$[*].database");
			assertThat(databases).containsOnly("sample_app_" + tenant);
		}
		HttpResponse<String> unknown = HTTP.send(
				HttpRequest.newBuilder(uri("/tenant-notes")).header("X-Tenant-ID", "umbrella").GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(unknown.statusCode()).isEqualTo(404);
		HttpResponse<String> report = HTTP.send(HttpRequest.newBuilder(uri("/reports/summary")).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(report.statusCode()).isEqualTo(200);
		assertThat(JsonPath.parse(report.body()).read("$.connection", String.class)).isEqualTo("sample:reporting");
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("primaryDataSource")
	HikariDataSource primaryPool;

	@Test
	void everyMetricTheGrafanaDashboardQueriesIsInThePrometheusScrape() throws Exception {
		// One request first, so the HTTP server meters exist as they would in production.
		assertThat(HTTP
			.send(HttpRequest.newBuilder(uri("/actuator/health")).build(), HttpResponse.BodyHandlers.discarding())
			.statusCode()).isEqualTo(200);
		HttpResponse<String> scrape = HTTP.send(HttpRequest.newBuilder(uri("/actuator/prometheus")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(scrape.statusCode()).isEqualTo(200);
		Set<String> scraped = scrape.body()
			.lines()
			.filter((line) -> !line.startsWith("#") && !line.isBlank())
			.map((line) -> line.split("[{ ]", 2)[0])
			.collect(Collectors.toSet());
		Set<String> queried = GrafanaDashboard.metricNames(Path.of("..", "docs", "grafana", "pool-dashboard.json"));
		assertThat(queried).contains("hikaricp_connections_active", "hikaricp_connections_pending",
				"hikaricp_connections_acquire_seconds_bucket", "pool_routing_decisions_connections_total",
				"pool_replica_available_replicas", "pool_replica_lag_seconds", "pool_exhausted_operations_total",
				"pool_tenants_live_pools");
		assertThat(scraped).containsAll(queried);
	}

	@Test
	void concurrentTransfersKeepTheTotalBalance() throws Exception {
		List<Long> accounts = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			accounts.add(open("owner-" + i, "100.00").read("$.id", Long.class));
		}
		ExecutorService threads = Executors.newFixedThreadPool(8);
		List<Future<Integer>> results = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			results.add(threads.submit(() -> {
				ThreadLocalRandom random = ThreadLocalRandom.current();
				long from = accounts.get(random.nextInt(accounts.size()));
				long to = accounts.get(random.nextInt(accounts.size()));
				String body = "{\"from\":" + from + ",\"to\":" + to + ",\"amount\":" + (1 + random.nextInt(30)) + "}";
				return post("/transfers", body).statusCode();
			}));
		}
		for (Future<Integer> result : results) {
			assertThat(result.get(30, TimeUnit.SECONDS)).isIn(200, 400, 409);
		}
		threads.shutdown();
		BigDecimal total = BigDecimal.ZERO;
		for (long id : accounts) {
			BigDecimal balance = awaitPrimaryView(id);
			assertThat(balance).isNotNegative();
			total = total.add(balance);
		}
		assertThat(total).isEqualByComparingTo("400.00");
	}

	@Test
	void aWriteReadsItsOwnResultInTheSameRequest() {
		DocumentContext opened = open("alice", "25.50");
		assertThat(opened.read("$.balance", Double.class)).isEqualTo(25.5);
		assertThat(opened.read("$.servedBy", String.class)).isEqualTo("primary");
		long id = opened.read("$.id", Long.class);
		DocumentContext deposited = JsonPath.parse(post("/accounts/" + id + "/deposits", "{\"amount\": 4.50}").body());
		assertThat(deposited.read("$.balance", Double.class)).isEqualTo(30.0);
		assertThat(deposited.read("$.servedBy", String.class)).isEqualTo("primary");
	}

	@Test
	void readsAreServedByTheReplica() {
		long id = open("bob", "10").read("$.id", Long.class);
		SharedEmbeddedPostgres.cluster().awaitReplication();
		HttpResponse<String> one = get("/accounts/" + id);
		assertThat(one.statusCode()).isEqualTo(200);
		assertThat(JsonPath.parse(one.body()).read("$.servedBy", String.class)).isEqualTo("replica");
		List<String> servedBy = JsonPath.parse(get("/accounts").body()).read("$[*].servedBy");
		assertThat(servedBy).isNotEmpty().containsOnly("replica");
		HttpResponse<String> history = get("/accounts/" + id + "/history");
		assertThat(JsonPath.parse(history.body()).read("$[0].kind", String.class)).isEqualTo("deposit");
	}

	@Test
	void exhaustionAnswers503WithRetryAfter() throws Exception {
		long a = open("carol", "50").read("$.id", Long.class);
		long b = open("dave", "0").read("$.id", Long.class);
		List<Connection> held = new ArrayList<>();
		try {
			for (int i = 0; i < 4; i++) {
				held.add(this.primaryPool.getConnection());
			}
			HttpResponse<String> response = post("/transfers", "{\"from\":" + a + ",\"to\":" + b + ",\"amount\":5}");
			assertThat(response.statusCode()).isEqualTo(503);
			assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
			assertThat(response.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		}
		finally {
			for (Connection connection : held) {
				connection.close();
			}
		}
		assertThat(post("/transfers", "{\"from\":" + a + ",\"to\":" + b + ",\"amount\":5}").statusCode())
			.isEqualTo(200);
	}

	@Test
	void healthMetricsAndPoolsRespond() {
		HttpResponse<String> health = get("/actuator/health");
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(JsonPath.parse(health.body()).read("$.components.db.details.replica-1.role", String.class))
			.isEqualTo("replica");
		assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		assertThat(get("/actuator/metrics/pool.routing.decisions").statusCode()).isEqualTo(200);
		assertThat(get("/actuator/metrics/hikaricp.connections.active?tag=pool:replica-1").statusCode()).isEqualTo(200);
		HttpResponse<String> pools = get("/actuator/pools");
		assertThat(pools.statusCode()).isEqualTo(200);
		assertThat(JsonPath.parse(pools.body()).read("$.pools.primary.role", String.class)).isEqualTo("primary");
		assertThat(pools.body()).doesNotContain(SharedEmbeddedPostgres.cluster().password());
	}

	private BigDecimal awaitPrimaryView(long id) {
		SharedEmbeddedPostgres.cluster().awaitReplication();
		return new BigDecimal(JsonPath.parse(get("/accounts/" + id).body()).read("$.balance", Object.class).toString());
	}

	private DocumentContext open(String owner, String deposit) {
		HttpResponse<String> response = post("/accounts",
				"{\"owner\":\"" + owner + "\",\"initialDeposit\":" + deposit + "}");
		assertThat(response.statusCode()).isEqualTo(201);
		return JsonPath.parse(response.body());
	}

	private HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).GET().build());
	}

	private HttpResponse<String> post(String path, String json) {
		return send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build());
	}

	private static HttpResponse<String> send(HttpRequest request) {
		try {
			return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
