package dev.pool.it;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.EmbeddedPostgresProperties;
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
 * Failover by promotion, the way PostgreSQL HA does it: the primary URL names both the
 * primary and replica-1 with {@code targetServerType=primary}; the primary is killed
 * under writes and reads, replica-1 is promoted, and writes resume on it without a
 * restart, while reads never fail. The replica check that sees replica-1, one of the
 * primary URL's hosts, out of recovery lets the breaker's probe through at once: writes
 * do not wait out the 30 s open-duration.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class PrimaryFailoverTests {

	private static final String DB = "promotion";

	private static final Duration OPEN_DURATION = Duration.ofSeconds(30);

	private static EmbeddedPostgresCluster cluster;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		cluster = EmbeddedPostgresCluster.builder().replicas(2).start();
		cluster.createDatabase(DB);
		EmbeddedPostgresProperties.register(registry, cluster, DB);
		registry.add("app.datasource.primary.url", () -> "jdbc:postgresql://127.0.0.1:" + cluster.primary().port()
				+ ",127.0.0.1:" + cluster.replica(1).port() + "/" + DB + "?targetServerType=primary");
		registry.add("app.datasource.primary.maximum-pool-size", () -> "4");
		registry.add("app.datasource.primary.connection-timeout", () -> "5s");
		registry.add("app.datasource.primary.validation-timeout", () -> "1s");
		registry.add("app.datasource.circuit-breaker.open-duration", () -> OPEN_DURATION.toMillis() + "ms");
		registry.add("app.datasource.routing.health-check-interval", () -> "300ms");
		registry.add("app.datasource.drain.timeout", () -> "1s");
		registry.add("management.endpoints.web.exposure.include", () -> "health,pools");
		registry.add("management.endpoint.health.show-details", () -> "always");
	}

	@AfterAll
	static void stopCluster() {
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
	void writesResumeOnThePromotedReplicaWhileReadsNeverFail(CapturedOutput output) throws Exception {
		int newPrimary = cluster.replica(1).port();
		assertThat(this.writes.write()).isEqualTo("false:" + cluster.primary().port());
		AtomicBoolean reading = new AtomicBoolean(true);
		AtomicInteger reads = new AtomicInteger();
		AtomicInteger failedReads = new AtomicInteger();
		Thread reader = new Thread(() -> {
			while (reading.get()) {
				try {
					this.reads.node();
					reads.incrementAndGet();
				}
				catch (RuntimeException ex) {
					failedReads.incrementAndGet();
				}
			}
		}, "reader");
		reader.start();
		try {
			cluster.primary().kill();
			// Writes go on failing (fast, once the breaker is open) until the failover.
			await().atMost(10, TimeUnit.SECONDS).until(() -> writeSucceeds().isEmpty() && "OPEN".equals(breaker()));
			cluster.replica(1).promote();
			long promoted = System.nanoTime();
			await().atMost(OPEN_DURATION.dividedBy(3))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> writeSucceeds().equals("false:" + newPrimary));
			System.out
				.println("[failover] first write on the promoted replica " + (System.nanoTime() - promoted) / 1_000_000
						+ " ms after the promotion (open-duration " + OPEN_DURATION.toMillis() + " ms)");
			assertThat(breaker()).isEqualTo("CLOSED");
		}
		finally {
			reading.set(false);
			reader.join(10_000);
		}
		System.out.println("[failover] reads during the failover: " + reads.get() + ", failed: " + failedReads.get());
		assertThat(reads.get()).isPositive();
		assertThat(failedReads.get()).isZero();

		await().atMost(15, TimeUnit.SECONDS).untilAsserted(() -> {
			HttpResponse<String> health = Http.get(this.port, "/actuator/health");
			assertThat(health.statusCode()).isEqualTo(200);
			DocumentContext db = JsonPath.parse(health.body());
			assertThat(db.read("$.components.db.details.primary.status", String.class)).isEqualTo("UP");
			assertThat(db.read("$.components.db.details.primary.circuitBreaker.state", String.class))
				.isEqualTo("CLOSED");
			assertThat(db.read("$.components.db.details['replica-1'].status", String.class)).isEqualTo("PROMOTED");
			assertThat(db.read("$.components.db.details['replica-2'].replica.streaming", Boolean.class)).isFalse();
			assertThat(db.read("$.components.db.details['replica-2'].replica.lagSeconds", Double.class)).isNull();
		});
		// What docs/failure-behaviour.md shows.
		System.out.println("[failover] health after: " + Http.get(this.port, "/actuator/health").body());
		String poolsBody = Http.get(this.port, "/actuator/pools").body();
		System.out.println("[failover] pools after: " + poolsBody);
		DocumentContext pools = JsonPath.parse(poolsBody);
		assertThat(pools.read("$.pools['replica-1'].replica.status", String.class)).isEqualTo("PROMOTED");
		assertThat(pools.read("$.pools['replica-2'].replica.streaming", Boolean.class)).isFalse();
		assertThat(pools.read("$.pools['replica-2'].replica.lagSeconds", Double.class)).isNull();
		assertThat(pools.read("$.pools['replica-2'].replica.lagBytes", Long.class)).isNull();
		assertThat(pools.read("$.pools.primary.circuitBreaker.state", String.class)).isEqualTo("CLOSED");
		assertThat(output).contains("Replica 'replica-1' was promoted")
			.contains("Replica 'replica-2' is not streaming from a primary");
	}

	// The node that served a write, empty when the write failed.
	private String writeSucceeds() {
		try {
			return this.writes.write();
		}
		catch (RuntimeException ex) {
			return "";
		}
	}

	private String breaker() {
		return this.topology.current().primary().breaker().state();
	}

}
