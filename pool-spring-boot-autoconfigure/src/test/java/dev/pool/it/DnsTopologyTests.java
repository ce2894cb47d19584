package dev.pool.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.internal.topology.ReplicaNode;
import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.PostgresNode;
import org.junit.jupiter.api.AfterAll;
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
 * The replicas from DNS: a real DNS server on loopback (dnsmasq) answers the name with
 * the A records of three embedded replicas, each on its own loopback address and the same
 * port. An address added to the answer joins read routing, one removed leaves it and its
 * pool and meters go, without a restart; the answer's TTL bounds how often DNS is asked,
 * and a DNS server that stops answering leaves the replica set as it was.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class DnsTopologyTests {

	private static final String DB = "dns_topology";

	private static final String NAME = "replicas.pool.test";

	private static final int TTL_SECONDS = 2;

	private static EmbeddedPostgresCluster cluster;

	private static Dnsmasq dns;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		int port = freePort();
		cluster = EmbeddedPostgresCluster.builder()
			.replicas(3)
			.replicaHosts("127.0.0.11", "127.0.0.12", "127.0.0.13")
			.replicaPorts(port, port, port)
			.start();
		cluster.createDatabase(DB);
		dns = new Dnsmasq(TTL_SECONDS);
		dns.hosts(List.of(line(cluster.replica(1)), line(cluster.replica(2))));
		dns.reload();
		registry.add("app.datasource.primary.url", () -> cluster.primary().jdbcUrl(DB));
		registry.add("app.datasource.primary.username", cluster::username);
		registry.add("app.datasource.primary.password", cluster::password);
		registry.add("app.datasource.primary.maximum-pool-size", () -> "3");
		registry.add("app.datasource.primary.connection-timeout", () -> "3s");
		registry.add("app.datasource.topology.source", () -> "dns");
		registry.add("app.datasource.topology.dns.name", () -> NAME);
		registry.add("app.datasource.topology.dns.port", () -> Integer.toString(port));
		registry.add("app.datasource.topology.dns.resolver", dns::resolver);
		registry.add("app.datasource.topology.url-template", () -> "jdbc:postgresql://{host}:{port}/" + DB);
		registry.add("app.datasource.topology.refresh-interval", () -> "500ms");
		registry.add("app.datasource.topology.request-timeout", () -> "500ms");
		// A discovered replica keeps overrides under its name.
		registry.add("app.datasource.replicas[127.0.0.12].maximum-pool-size", () -> "2");
		registry.add("app.datasource.routing.health-check-interval", () -> "300ms");
		registry.add("app.datasource.drain.timeout", () -> "1s");
		registry.add("spring.flyway.enabled", () -> "false");
		registry.add("management.endpoints.web.exposure.include", () -> "health,pools,metrics");
		registry.add("management.endpoint.health.show-details", () -> "always");
	}

	@AfterAll
	static void stop() throws Exception {
		dns.close();
		cluster.close();
	}

	@LocalServerPort
	int port;

	@Autowired
	TestApp.Reads reads;

	@Autowired
	TestApp.Writes writes;

	@Autowired
	LiveTopology topology;

	@Test
	void theReplicaSetFollowsTheDnsAnswer(CapturedOutput output) throws Exception {
		awaitReadsReach(Set.of("127.0.0.11", "127.0.0.12"));
		// The primary stays as configured.
		assertThat(this.writes.write()).isEqualTo("false:" + cluster.primary().port());
		DocumentContext pools = JsonPath.parse(Http.get(this.port, "/actuator/pools").body());
		assertThat(pools.read("$.topology.source", String.class)).isEqualTo("dns");
		assertThat(pools.read("$.topology.refreshIntervalMs", Long.class)).as("the TTL is the lower bound")
			.isEqualTo(TTL_SECONDS * 1000L);
		assertThat(pools.read("$.pools['127.0.0.12'].settings.maximumPoolSize", Integer.class)).isEqualTo(2);
		assertThat(pools.read("$.pools['127.0.0.11'].replica.address", String.class))
			.isEqualTo("127.0.0.11:" + cluster.replica(1).port());

		// A third address: it joins without a restart.
		dns.hosts(List.of(line(cluster.replica(1)), line(cluster.replica(2)), line(cluster.replica(3))));
		dns.reload();
		awaitReadsReach(Set.of("127.0.0.11", "127.0.0.12", "127.0.0.13"));
		assertThat(metric("pool.replica.available", "pool", "127.0.0.13")).isEqualTo(200);
		assertThat(metric("hikaricp.connections", "pool", "127.0.0.13")).isEqualTo(200);

		// One address leaves: no more reads, its pool closes, its meters go.
		dns.hosts(List.of(line(cluster.replica(2)), line(cluster.replica(3))));
		dns.reload();
		await().atMost(10, TimeUnit.SECONDS).until(() -> this.topology.current().replica("127.0.0.11") == null);
		Set<String> afterRemoval = ConcurrentHashMap.newKeySet();
		for (int i = 0; i < 50; i++) {
			afterRemoval.add(this.reads.address());
		}
		assertThat(afterRemoval).containsOnly("127.0.0.12", "127.0.0.13");
		await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
			assertThat(metric("pool.replica.available", "pool", "127.0.0.11")).isEqualTo(404);
			assertThat(metric("pool.routing.decisions", "target", "127.0.0.11")).isEqualTo(404);
			assertThat(metric("hikaricp.connections", "pool", "127.0.0.11")).isEqualTo(404);
		});
		assertThat(output).contains("Pool '127.0.0.11' closed after retirement");
		Map<String, Object> poolsNow = JsonPath.parse(Http.get(this.port, "/actuator/pools").body()).read("$.pools");
		assertThat(poolsNow).doesNotContainKey("127.0.0.11").containsKeys("primary", "127.0.0.12", "127.0.0.13");

		// DNS stops answering: the replica set stays as it was, and health says so.
		dns.stop();
		try {
			await().atMost(10, TimeUnit.SECONDS).until(() -> !this.topology.current().source().reachable());
			DocumentContext health = JsonPath.parse(Http.get(this.port, "/actuator/health").body());
			assertThat(health.read("$.components.db.status", String.class)).isEqualTo("UP");
			assertThat(health.read("$.components.db.details.topology.reachable", Boolean.class)).isFalse();
			assertThat(this.topology.current().replicas()).extracting(ReplicaNode::name)
				.containsExactly("127.0.0.12", "127.0.0.13");
			awaitReadsReach(Set.of("127.0.0.12", "127.0.0.13"));
		}
		finally {
			dns.restart();
		}
		await().atMost(10, TimeUnit.SECONDS).until(() -> this.topology.current().source().reachable());
	}

	private void awaitReadsReach(Set<String> addresses) {
		Set<String> seen = ConcurrentHashMap.newKeySet();
		await().atMost(20, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
			seen.add(this.reads.address());
			assertThat(seen).containsAll(addresses);
		});
	}

	private int metric(String name, String tag, String value) {
		return Http.get(this.port, "/actuator/metrics/" + name + "?tag=" + tag + ":" + value).statusCode();
	}

	private static String line(PostgresNode replica) {
		return replica.host() + " " + NAME;
	}

	private static int freePort() throws java.io.IOException {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
				java.net.InetAddress.getByName("127.0.0.11"))) {
			return socket.getLocalPort();
		}
	}

}
