package dev.pool.it;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.test.PatroniCluster;
import dev.pool.test.SharedPatroniCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Patroni's REST API stops answering (every member's Patroni frozen with SIGSTOP while
 * PostgreSQL runs on): the application keeps the topology it last knew and keeps writing
 * to the same leader, says so in health and {@code /actuator/pools}, logs it once, and
 * follows Patroni again when it answers. The first URL is one nothing answers on: the
 * source asks the next.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class PatroniSourceUnreachableTests {

	private static final String DB = "patroni_unreachable";

	private static PatroniCluster cluster;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		cluster = SharedPatroniCluster.withDatabase(DB);
		registry.add("app.datasource.topology.source", () -> "patroni");
		registry.add("app.datasource.topology.patroni.urls",
				() -> "http://127.0.0.1:1," + String.join(",", cluster.restUrls()));
		registry.add("app.datasource.topology.url-template", () -> cluster.urlTemplate(DB));
		registry.add("app.datasource.topology.refresh-interval", () -> "300ms");
		registry.add("app.datasource.topology.request-timeout", () -> "300ms");
		registry.add("app.datasource.primary.username", () -> PatroniCluster.SUPERUSER);
		registry.add("app.datasource.primary.password", cluster::password);
		registry.add("app.datasource.primary.maximum-pool-size", () -> "2");
		registry.add("app.datasource.primary.connection-timeout", () -> "3s");
		registry.add("app.datasource.routing.health-check-interval", () -> "500ms");
		registry.add("spring.flyway.enabled", () -> "false");
		registry.add("management.endpoints.web.exposure.include", () -> "health,pools");
		registry.add("management.endpoint.health.show-details", () -> "always");
	}

	@LocalServerPort
	int port;

	@Autowired
	TestApp.Writes writes;

	@Autowired
	LiveTopology topology;

	@Test
	void aSilentSourceLeavesTheTopologyAsItWasAndSaysSo(CapturedOutput output) {
		String leader = cluster.leader().orElseThrow();
		assertThat(this.writes.write()).isEqualTo("false:" + cluster.port(leader));
		assertThat(this.topology.current().source().reachable()).isTrue();
		List<String> members = cluster.memberNames();
		long version = this.topology.current().version();
		members.forEach(cluster::freezeAgent);
		try {
			await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
				DocumentContext health = JsonPath.parse(Http.get(this.port, "/actuator/health").body());
				assertThat(health.read("$.components.db.status", String.class)).isEqualTo("UP");
				assertThat(health.read("$.components.db.details.topology.reachable", Boolean.class)).isFalse();
				assertThat(health.read("$.components.db.details.topology.error", String.class))
					.contains("No Patroni REST API answered");
			});
			DocumentContext pools = JsonPath.parse(Http.get(this.port, "/actuator/pools").body());
			assertThat(pools.read("$.topology.reachable", Boolean.class)).isFalse();
			assertThat(pools.read("$.pools.primary.member", String.class)).isEqualTo(leader);
			// Several reads fail in a row (each is shown), yet it is logged once.
			await().atMost(5, TimeUnit.SECONDS)
				.until(() -> JsonPath.parse(Http.get(this.port, "/actuator/pools").body())
					.read("$.topology.lastAnswerMsAgo", Long.class) > 1_500);
			assertThat(this.topology.current().version()).isGreaterThan(version);
			assertThat(count(output.getOut(), "Topology source cannot be read")).isEqualTo(1);
			// The topology it last knew still serves writes.
			assertThat(this.writes.write()).isEqualTo("false:" + cluster.port(leader));
		}
		finally {
			members.forEach(cluster::thawAgent);
		}
		await().atMost(10, TimeUnit.SECONDS).until(() -> this.topology.current().source().reachable());
		assertThat(count(output.getOut(), "Topology source answers again")).isEqualTo(1);
		cluster.awaitHealthy(Duration.ofSeconds(30));
		assertThat(this.topology.current().primary().member()).isEqualTo(leader);
	}

	private static int count(String text, String part) {
		int count = 0;
		for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
			count++;
		}
		return count;
	}

}
