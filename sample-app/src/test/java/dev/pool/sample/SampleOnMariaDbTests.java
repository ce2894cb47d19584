package dev.pool.sample;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.pool.test.EmbeddedMariaDbCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample on a real MariaDB primary and GTID replica, started as
 * {@code SAMPLE_DATABASE=mariadb} starts it: the same application, the MariaDB migrations
 * (Flyway's {@code {vendor}}), accounts written on the primary and read back with the
 * cookie, reads on the replica, a tenant's notes in its own database, the reporting pool.
 */
class SampleOnMariaDbTests {

	private static EmbeddedMariaDbCluster cluster;

	private static ConfigurableApplicationContext context;

	private static int port;

	@BeforeAll
	static void start() {
		cluster = EmbeddedMariaDbCluster.start(1);
		List<String> arguments = new ArrayList<>(SampleMariaDb.arguments(cluster));
		arguments.add("--server.port=0");
		arguments.add("--app.datasource.drain.timeout=1s");
		SpringApplication application = new SpringApplication(SampleApplication.class);
		// As the launcher: under ahead-of-time processing the initializer is looked up by
		// the main class.
		application.setMainApplicationClass(SampleApplication.class);
		context = application.run(arguments.toArray(String[]::new));
		port = ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void anAccountWrittenOnThePrimaryIsReadBackAndReadsReachTheReplica() throws Exception {
		HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
		HttpResponse<String> opened = browser.send(json("/accounts", "{\"owner\":\"ada\",\"initialDeposit\":100}"),
				HttpResponse.BodyHandlers.ofString());
		assertThat(opened.statusCode()).as(opened.body()).isEqualTo(201);
		assertThat(opened.headers().firstValue("DB-Consistency"))
			.hasValueSatisfying((token) -> assertThat(token).as("a GTID token").startsWith("g1."));
		long id = JsonPath.parse(opened.body()).read("$.id", Long.class);
		// With the cookie, the read sees the write at once, wherever it is served.
		HttpResponse<String> read = browser.send(get("/accounts/" + id), HttpResponse.BodyHandlers.ofString());
		assertThat(read.statusCode()).isEqualTo(200);
		DocumentContext account = JsonPath.parse(read.body());
		assertThat(account.read("$.owner", String.class)).isEqualTo("ada");
		assertThat(account.read("$.balance", Double.class)).isEqualTo(100.0);
		// A client that wrote nothing reads from the replica.
		HttpClient other = HttpClient.newHttpClient();
		await().atMost(10, TimeUnit.SECONDS)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> other.send(get("/accounts/" + id), HttpResponse.BodyHandlers.ofString()).body(),
					(body) -> body.contains("\"servedBy\":\"replica\""));
		HttpResponse<String> history = other.send(get("/accounts/" + id + "/history"),
				HttpResponse.BodyHandlers.ofString());
		assertThat(history.statusCode()).isEqualTo(200);
		assertThat(JsonPath.parse(history.body()).read("$[0].kind", String.class)).isNotEmpty();
	}

	@Test
	void aTenantsNotesGoToItsOwnDatabase() throws Exception {
		HttpClient client = HttpClient.newHttpClient();
		HttpResponse<String> added = client.send(HttpRequest.newBuilder(uri("/tenant-notes"))
			.header("Content-Type", "application/json")
			.header("X-Tenant-ID", "acme")
			.POST(HttpRequest.BodyPublishers.ofString("{\"body\":\"hello\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
		assertThat(JsonPath.parse(added.body()).read("$.database", String.class)).isEqualTo("sample_acme");
	}

	@Test
	void theReportingPoolAndHealthAnswer() throws Exception {
		HttpClient client = HttpClient.newHttpClient();
		HttpResponse<String> summary = client.send(get("/reports/summary"), HttpResponse.BodyHandlers.ofString());
		assertThat(summary.statusCode()).as(summary.body()).isEqualTo(200);
		assertThat(JsonPath.parse(summary.body()).read("$.connection", String.class)).startsWith("connection ");
		HttpResponse<String> health = client.send(get("/actuator/health"), HttpResponse.BodyHandlers.ofString());
		assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
	}

	private static HttpRequest json(String path, String body) {
		return HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
	}

	private static HttpRequest get(String path) {
		return HttpRequest.newBuilder(uri(path)).GET().build();
	}

	private static URI uri(String path) {
		return URI.create("http://localhost:" + port + path);
	}

}
