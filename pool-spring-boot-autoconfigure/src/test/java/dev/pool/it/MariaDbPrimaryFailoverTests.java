package dev.pool.it;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.pool.internal.topology.LiveTopology;
import dev.pool.internal.topology.ReplicaNode;
import dev.pool.test.EmbeddedMariaDbCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Failover by promotion on a real MariaDB replica set, as on PostgreSQL: the primary URL
 * names the primary and replica-1 ({@code jdbc:mariadb:sequential:}); the primary is
 * killed, writes fail fast once the breaker is open, replica-1 is promoted
 * ({@code @@read_only} off) and writes resume on it at once, without waiting out the 30 s
 * open-duration.
 */
@ExtendWith(OutputCaptureExtension.class)
class MariaDbPrimaryFailoverTests {

	private static final String DB = "promotion";

	private static final Duration OPEN_DURATION = Duration.ofSeconds(30);

	private static EmbeddedMariaDbCluster cluster;

	private static ConfigurableApplicationContext context;

	@BeforeAll
	static void start() throws Exception {
		cluster = EmbeddedMariaDbCluster.start(2);
		cluster.createDatabase(DB);
		try (Connection connection = cluster.primary().connect(DB);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE tick (id BIGINT AUTO_INCREMENT PRIMARY KEY, at TIMESTAMP(3))");
		}
		cluster.awaitReplication();
		List<String> args = List.of(
				"--app.datasource.primary.url=jdbc:mariadb:sequential://127.0.0.1:" + cluster.primary().port()
						+ ",127.0.0.1:" + cluster.replica(1).port() + "/" + DB,
				"--app.datasource.primary.username=" + EmbeddedMariaDbCluster.USERNAME,
				"--app.datasource.primary.password=" + EmbeddedMariaDbCluster.PASSWORD,
				"--app.datasource.primary.maximum-pool-size=4", "--app.datasource.primary.connection-timeout=5s",
				"--app.datasource.primary.validation-timeout=1s",
				"--app.datasource.replicas.replica-1.url=" + cluster.replica(1).jdbcUrl(DB),
				"--app.datasource.replicas.replica-2.url=" + cluster.replica(2).jdbcUrl(DB),
				"--app.datasource.circuit-breaker.open-duration=" + OPEN_DURATION.toMillis() + "ms",
				"--app.datasource.routing.health-check-interval=300ms", "--app.datasource.drain.timeout=1s",
				"--spring.flyway.enabled=false");
		context = new SpringApplicationBuilder(MariaDbReplicaTests.App.class).web(WebApplicationType.NONE)
			.run(args.toArray(String[]::new));
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
	void writesResumeOnThePromotedReplicaWithoutWaitingOutTheBreaker(CapturedOutput output) {
		MariaDbReplicaTests.App.Writes writes = context.getBean(MariaDbReplicaTests.App.Writes.class);
		assertThat(writes.write()).isEqualTo("0:" + cluster.primary().port());
		cluster.primary().kill();
		// Writes fail (fast, once the breaker is open) until the failover.
		await().atMost(10, TimeUnit.SECONDS).until(() -> write(writes).isEmpty() && "OPEN".equals(breaker()));
		cluster.replica(1).promote();
		long promoted = System.nanoTime();
		await().atMost(OPEN_DURATION.dividedBy(3))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> write(writes).equals("0:" + cluster.replica(1).port()));
		System.out.println(
				"[mariadb failover] first write on the promoted replica " + (System.nanoTime() - promoted) / 1_000_000
						+ " ms after the promotion (open-duration " + OPEN_DURATION.toMillis() + " ms)");
		assertThat(breaker()).isEqualTo("CLOSED");
		assertThat(replica("replica-1").promoted()).isTrue();
		// Its primary is gone: replica-2's I/O thread reconnects, so it is not
		// replicating and serves no reads.
		await().atMost(5, TimeUnit.SECONDS).until(() -> !replica("replica-2").isAvailable());
		assertThat(replica("replica-2").error()).contains("not replicating");
		assertThat(output).contains("Replica 'replica-1' was promoted");
	}

	// The node that served a write, empty when the write failed.
	private static String write(MariaDbReplicaTests.App.Writes writes) {
		try {
			return writes.write();
		}
		catch (RuntimeException ex) {
			return "";
		}
	}

	private static String breaker() {
		return context.getBean(LiveTopology.class).current().primary().breaker().state();
	}

	private static ReplicaNode replica(String name) {
		return context.getBean(LiveTopology.class)
			.current()
			.replicas()
			.stream()
			.filter((node) -> node.name().equals(name))
			.findFirst()
			.orElseThrow();
	}

}
