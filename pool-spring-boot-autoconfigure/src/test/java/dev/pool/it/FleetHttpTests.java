package dev.pool.it;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.EmbeddedPostgresProperties;
import dev.pool.test.PostgresNode;
import dev.pool.test.SharedEmbeddedPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A fleet budget as a user sees it over HTTP and in the database: each pool's share in
 * {@code /actuator/pools}, the {@code pool.fleet.*} and {@code pool.size.target} meters,
 * the instance's own session on every node, a second instance seen within a refresh and
 * the diagnosis that the budget is too small for both.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FleetHttpTests {

	private static final String DB = "fleet_http_test";

	private static final String APP = "fleet-http";

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		EmbeddedPostgresProperties.register(registry, DB);
		registry.add("spring.application.name", () -> APP);
		registry.add("app.datasource.primary.maximum-pool-size", () -> "8");
		registry.add("app.datasource.primary.minimum-idle", () -> "5");
		registry.add("app.datasource.fleet.max-connections", () -> "12");
		registry.add("app.datasource.fleet.refresh-interval", () -> "500ms");
		registry.add("app.datasource.fleet.instance-id", () -> "web-1");
		registry.add("management.endpoints.web.exposure.include", () -> "health,metrics,pools");
	}

	@LocalServerPort
	int port;

	@Test
	void eachPoolShowsItsShareAndTheFleetFollowsASecondInstance() throws Exception {
		EmbeddedPostgresCluster cluster = SharedEmbeddedPostgres.withDatabase(DB);
		DocumentContext alone = pools();
		for (String pool : List.of("primary", "replica-1", "replica-2")) {
			String sizing = "$.pools['" + pool + "'].sizing";
			assertThat(alone.read(sizing + ".budget", Integer.class)).isEqualTo(12);
			assertThat(alone.read(sizing + ".reserve", Integer.class)).isEqualTo(2);
			assertThat(alone.read(sizing + ".instances", Integer.class)).isEqualTo(1);
			assertThat(alone.read(sizing + ".instance", String.class)).isEqualTo("web-1");
			// Alone, the instance may take what it asks for: minimum-idle and its
			// session.
			assertThat(alone.read(sizing + ".share", Integer.class)).isGreaterThanOrEqualTo(6);
			assertThat(alone.read(sizing + ".liveMaximum", Integer.class)).isBetween(5, 8);
			assertThat(alone.read(sizing + ".reason", String.class)).isNotBlank();
		}
		assertThat(metric("pool.fleet.budget", "primary")).isEqualTo(12.0);
		assertThat(metric("pool.fleet.instances", "replica-1")).isEqualTo(1.0);
		assertThat(metric("pool.fleet.refused", "primary")).isZero();
		assertThat(metric("pool.size.target", "primary"))
			.isEqualTo(alone.read("$.pools.primary.sizing.liveMaximum", Double.class));
		// The instance's own session on every node, under the role the pools use.
		for (PostgresNode node : List.of(cluster.primary(), cluster.replica(1), cluster.replica(2))) {
			assertThat(sessions(node, APP + ":fleet:web-1:%")).as(node.name()).isEqualTo(1);
		}

		ConfigurableApplicationContext second = secondInstance(cluster);
		try {
			await().atMost(10, TimeUnit.SECONDS)
				.pollInterval(Duration.ofMillis(100))
				.until(() -> pools().read("$.pools.primary.sizing.instances", Integer.class) == 2);
			// 12 - 2 reserved leaves 10; two instances that keep 5 idle and a session
			// each need 12.
			List<Map<String, Object>> findings = pools().read("$.diagnosis[?(@.pool == 'primary')]");
			assertThat(findings).anySatisfy((finding) -> assertThat((String) finding.get("issue"))
				.contains("The fleet budget leaves 10 connections after the reserve for 2 instances"));
			// Never above the budget: the service's sessions on the primary, both
			// instances.
			assertThat(sessions(cluster.primary(), APP + ":%")).isLessThanOrEqualTo(12);
		}
		finally {
			second.close();
		}
		await().atMost(10, TimeUnit.SECONDS)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> pools().read("$.pools.primary.sizing.instances", Integer.class) == 1);
		assertThat(sessions(cluster.primary(), APP + ":fleet:web-2:%")).isZero();
	}

	private DocumentContext pools() {
		HttpResponse<String> response = Http.get(this.port, "/actuator/pools");
		assertThat(response.statusCode()).isEqualTo(200);
		return JsonPath.parse(response.body());
	}

	private double metric(String name, String pool) {
		HttpResponse<String> response = Http.get(this.port, "/actuator/metrics/" + name + "?tag=pool:" + pool);
		assertThat(response.statusCode()).as(name).isEqualTo(200);
		return JsonPath.parse(response.body()).read("$.measurements[0].value", Double.class);
	}

	private static int sessions(PostgresNode node, String applicationName) throws SQLException {
		try (Connection connection = node.connect(DB);
				PreparedStatement statement = connection
					.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE ?")) {
			statement.setString(1, applicationName);
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				return rs.getInt(1);
			}
		}
	}

	private static ConfigurableApplicationContext secondInstance(EmbeddedPostgresCluster cluster) {
		Map<String, Object> properties = new LinkedHashMap<>(EmbeddedPostgresProperties.of(cluster, DB));
		properties.put("spring.application.name", APP);
		properties.put("app.datasource.primary.maximum-pool-size", 4);
		properties.put("app.datasource.primary.minimum-idle", 1);
		properties.put("app.datasource.fleet.max-connections", 12);
		properties.put("app.datasource.fleet.refresh-interval", "500ms");
		properties.put("app.datasource.fleet.instance-id", "web-2");
		properties.put("spring.main.banner-mode", "off");
		return new SpringApplicationBuilder(TestApp.class).web(WebApplicationType.NONE).properties(properties).run();
	}

}
