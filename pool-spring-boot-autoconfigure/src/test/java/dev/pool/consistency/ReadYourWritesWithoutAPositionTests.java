package dev.pool.consistency;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.pool.internal.consistency.ConsistencyToken;
import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.EmbeddedPostgresProperties;
import dev.pool.test.PostgresNode;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Read-your-writes when the primary cannot say where a write went: its role may not call
 * {@code pg_current_wal_insert_lsn()} (the database really refuses it), as when the
 * connection breaks right after a write. Found by the chaos soak: an autocommit write
 * acknowledged while the leader died carried no token, and a token from the other
 * instance was ignored when the dead primary could not confirm it (and was waited for
 * outside the breaker). A client must then read from the primary, never from a replica
 * that may lack its write.
 */
@SpringBootTest(classes = NotesApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReadYourWritesWithoutAPositionTests {

	private static final String DB = "ryw_blind";

	private static final String ROLE = "ryw_blind_app";

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		EmbeddedPostgresCluster cluster = DelayedReplicas.cluster();
		prepare(cluster);
		DelayedReplicas.register(registry);
		EmbeddedPostgresProperties.register(registry, cluster, DB);
		registry.add("app.datasource.primary.username", () -> ROLE);
		registry.add("app.datasource.primary.password", () -> ROLE);
	}

	@LocalServerPort
	int port;

	@Test
	void anAutocommitWriteWhosePositionCannotBeReadSendsTheCallersReadsToThePrimary() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(post("/notes/autocommit?text=unplaced"), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		// The read in the same request: the replicas apply WAL 2 s late, so only the
		// primary has the row.
		DocumentContext json = JsonPath.parse(response.body());
		assertThat(json.read("$.count", Integer.class)).isEqualTo(1);
		assertThat(json.read("$.node", String.class)).isEqualTo("false:" + primaryPort());
		String token = response.headers().firstValue("DB-Consistency").orElseThrow();
		assertThat(ConsistencyToken.parse(token)).isNotNull();
		// The next request with the token reads from the primary too, even once the
		// replicas have caught up: nothing shows which of them has the write.
		awaitReplicasHave("unplaced");
		assertThat(get("/node", token).body()).isEqualTo("false:" + primaryPort());
	}

	@Test
	void aTokenThePrimaryCannotConfirmIsAppliedNotIgnored() throws Exception {
		// A token as another instance issues it: a position ahead of any this instance
		// has seen, issued now. This instance asks the primary, which cannot answer.
		String token = new ConsistencyToken(currentPosition() + 1_000_000, System.currentTimeMillis()).format();
		assertThat(get("/node", token).body()).isEqualTo("false:" + primaryPort());
		assertThat(get("/node", null).body()).as("without the token").startsWith("true:");
	}

	private static void prepare(EmbeddedPostgresCluster cluster) throws SQLException {
		try (Connection connection = cluster.primary().connect("postgres");
				Statement statement = connection.createStatement()) {
			statement.execute("DROP DATABASE IF EXISTS " + DB);
			statement.execute("DROP ROLE IF EXISTS " + ROLE);
			statement.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + ROLE + "'");
			statement.execute("CREATE DATABASE " + DB + " OWNER " + ROLE);
		}
		try (Connection connection = cluster.primary().connect(DB);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE note (id bigserial PRIMARY KEY, text text NOT NULL)");
			statement.execute("ALTER TABLE note OWNER TO " + ROLE);
			// Functions are per database: only this one refuses the role its position.
			statement.execute("REVOKE EXECUTE ON FUNCTION pg_current_wal_insert_lsn() FROM PUBLIC");
		}
		// The replicas apply WAL 2 s late: the application starts once they have the
		// table.
		for (PostgresNode replica : cluster.replicas()) {
			await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
				try (Connection connection = replica.connect(DB);
						Statement statement = connection.createStatement();
						ResultSet rs = statement.executeQuery("SELECT count(*) FROM note")) {
					return rs.next();
				}
			});
		}
	}

	private static void awaitReplicasHave(String text) {
		for (PostgresNode replica : DelayedReplicas.cluster().replicas()) {
			await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100)).until(() -> {
				try (Connection connection = replica.connect(DB);
						Statement statement = connection.createStatement();
						ResultSet rs = statement
							.executeQuery("SELECT count(*) FROM note WHERE text = '" + text + "'")) {
					rs.next();
					return rs.getInt(1) == 1;
				}
			});
		}
	}

	private static long currentPosition() throws SQLException {
		try (Connection connection = DelayedReplicas.cluster().primary().connect(DB);
				Statement statement = connection.createStatement();
				ResultSet rs = statement
					.executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint")) {
			rs.next();
			return rs.getLong(1);
		}
	}

	private static int primaryPort() {
		return DelayedReplicas.cluster().primary().port();
	}

	private HttpRequest post(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build();
	}

	private HttpResponse<String> get(String path, String token) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
		if (token != null) {
			request.header("DB-Consistency", token);
		}
		return HttpClient.newHttpClient().send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
	}

}
