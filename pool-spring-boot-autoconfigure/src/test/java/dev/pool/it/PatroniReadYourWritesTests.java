package dev.pool.it;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.pool.test.PatroniCluster;
import dev.pool.test.SharedPatroniCluster;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Read-your-writes over HTTP with the topology from Patroni (no replica under
 * {@code app.datasource.replicas}): with replay stalled on both replicas, a POST that
 * writes answers with the token (header and cookie) and the client's next GET, carrying
 * the cookie, sees its row, read on the primary, while a client without it reads a
 * replica that does not have the row yet. Found by the chaos soak: the web filter was
 * registered only for replicas configured by name, so no response carried a token.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class PatroniReadYourWritesTests {

	private static final String DB = "patroni_ryw";

	private static PatroniCluster cluster;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		cluster = SharedPatroniCluster.withDatabase(DB);
		registry.add("spring.flyway.locations", () -> "classpath:db/writes");
		cluster.topologyProperties(DB).forEach((name, value) -> registry.add(name, () -> value));
		registry.add("app.datasource.primary.maximum-pool-size", () -> "3");
		registry.add("app.datasource.primary.minimum-idle", () -> "1");
		// Lag never ejects the stalled replicas within the test.
		registry.add("app.datasource.routing.max-replica-lag", () -> "0");
		registry.add("app.datasource.drain.timeout", () -> "1s");
	}

	@LocalServerPort
	int port;

	@Test
	void aClientReadsItsOwnWriteWhileTheReplicasHaveNotReplayedIt() throws Exception {
		cluster.awaitHealthy(Duration.ofSeconds(90));
		String leader = cluster.leader().orElseThrow();
		List<String> replicas = cluster.memberNames()
			.stream()
			.filter((member) -> !member.equals(leader) && cluster.isRunning(member))
			.toList();
		assertThat(replicas).hasSize(2);
		// Reads reach a replica before the test relies on it.
		await().atMost(30, TimeUnit.SECONDS).until(() -> Http.get(this.port, "/read").body().contains("\"true:"));
		replicas.forEach(cluster::stallReplay);
		try {
			HttpResponse<String> write = Http
				.send(HttpRequest.newBuilder(uri("/rows?id=7001")).POST(HttpRequest.BodyPublishers.noBody()).build());
			assertThat(write.statusCode()).isEqualTo(200);
			assertThat(write.body()).contains("false:" + cluster.port(leader));
			String token = write.headers().firstValue("DB-Consistency").orElse(null);
			assertThat(token).as("DB-Consistency header of a write").startsWith("v1.");
			String cookie = write.headers()
				.allValues("Set-Cookie")
				.stream()
				.filter((header) -> header.startsWith("db-consistency="))
				.findFirst()
				.orElse(null);
			assertThat(cookie).as("read-your-writes cookie of a write").isNotNull();

			// Without the cookie: a stalled replica answers, without the row.
			assertThat(Http.get(this.port, "/rows?id=7001").body()).contains("\"false:true:");
			// With it: the row every time (from the primary: the replicas replay nothing
			// while stalled).
			for (int i = 0; i < 10; i++) {
				HttpResponse<String> read = Http.send(HttpRequest.newBuilder(uri("/rows?id=7001"))
					.header("Cookie", cookie.substring(0, cookie.indexOf(';')))
					.GET()
					.build());
				assertThat(read.body()).contains("\"true:");
			}
		}
		finally {
			replicas.forEach(cluster::resumeReplay);
		}
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private static void sql(String member, String sql) {
		try (Connection connection = cluster.connect(member, "postgres");
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(member + ": " + ex.getMessage(), ex);
		}
	}

}
