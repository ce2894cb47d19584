package dev.pool.consistency;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.pool.internal.consistency.ConsistencyToken;
import dev.pool.test.EmbeddedMariaDbCluster;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read-your-writes suite on a real MariaDB primary and two GTID replicas (Debian's
 * {@code mariadb-server}) that apply writes {@value #DELAY_SECONDS} s late
 * ({@code MASTER_DELAY}): by GTID, as on PostgreSQL by WAL position.
 */
class MariaDbReadYourWritesTests extends AbstractReadYourWritesTests {

	static final int DELAY_SECONDS = 3;

	private static final String DB = "ryw";

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		EmbeddedMariaDbCluster cluster = Holder.CLUSTER;
		registry.add("app.datasource.primary.url", () -> cluster.primary().jdbcUrl(DB));
		registry.add("app.datasource.primary.username", () -> EmbeddedMariaDbCluster.USERNAME);
		registry.add("app.datasource.primary.password", () -> EmbeddedMariaDbCluster.PASSWORD);
		registry.add("app.datasource.primary.maximum-pool-size", () -> "4");
		for (int i = 1; i <= 2; i++) {
			int index = i;
			registry.add("app.datasource.replicas.replica-" + i + ".url", () -> cluster.replica(index).jdbcUrl(DB));
		}
		registry.add("app.datasource.routing.health-check-interval", () -> "500ms");
		// A delayed replica stays in routing: read-your-writes alone decides.
		registry.add("app.datasource.routing.max-replica-lag", () -> "0");
		registry.add("app.datasource.drain.timeout", () -> "1s");
		registry.add("spring.jpa.open-in-view", () -> "false");
		// Flyway is on this module's test class path without its MariaDB module.
		registry.add("spring.flyway.enabled", () -> "false");
		registry.add("management.endpoints.web.exposure.include", () -> "metrics,pools");
		registry.add("notes.node-sql", () -> NotesApp.MARIADB_NODE);
	}

	@Test
	void thePoolsEndpointShowsTheReplicasAsOnPostgres() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/pools")).GET().build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		// What the README's MariaDB section shows.
		System.out.println("[mariadb] /actuator/pools: " + response.body());
		DocumentContext pools = JsonPath.parse(response.body());
		for (String replica : new String[] { "replica-1", "replica-2" }) {
			assertThat(pools.read("$.pools['" + replica + "'].replica.status", String.class)).isEqualTo("UP");
			assertThat(pools.read("$.pools['" + replica + "'].replica.lagSeconds", Double.class)).isNotNull();
			// The GTID sequence number read-your-writes last saw it reach, once a read
			// asked.
			assertThat(pools.read("$.pools['" + replica + "'].replica.replayPosition", String.class)).satisfiesAnyOf(
					(position) -> assertThat(position).isNull(),
					(position) -> assertThat(position).containsOnlyDigits());
		}
		assertThat(pools.read("$.pools.primary.circuitBreaker.state", String.class)).isEqualTo("CLOSED");
	}

	@Override
	DelayedDatabase database() {
		return new DelayedDatabase() {

			@Override
			public String primary() {
				return "false:" + Holder.CLUSTER.primary().port();
			}

			@Override
			public String replica(int index) {
				return "true:" + Holder.CLUSTER.replica(index).port();
			}

			@Override
			public void delay(int index, Duration delay) {
				Holder.CLUSTER.replica(index).setReplicationDelay(delay);
			}

			@Override
			public Duration delay() {
				return Duration.ofSeconds(DELAY_SECONDS);
			}

			@Override
			public ConsistencyToken.Flavour flavour() {
				return ConsistencyToken.Flavour.GTID;
			}

		};
	}

	private static final class Holder {

		static final EmbeddedMariaDbCluster CLUSTER = start();

		private static EmbeddedMariaDbCluster start() {
			EmbeddedMariaDbCluster cluster = EmbeddedMariaDbCluster.start(2);
			cluster.createDatabase(DB);
			try (Connection connection = cluster.primary().connect(DB);
					Statement statement = connection.createStatement()) {
				statement.execute("CREATE TABLE note (id BIGINT AUTO_INCREMENT PRIMARY KEY, text TEXT NOT NULL)");
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
			cluster.awaitReplication();
			for (EmbeddedMariaDbCluster.MariaDbNode replica : cluster.replicas()) {
				replica.setReplicationDelay(Duration.ofSeconds(DELAY_SECONDS));
			}
			return cluster;
		}

	}

}
