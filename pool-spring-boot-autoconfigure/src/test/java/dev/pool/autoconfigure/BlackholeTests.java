package dev.pool.autoconfigure;

import java.sql.Connection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.sql.DataSource;

import dev.pool.internal.health.PoolHealthIndicator;
import dev.pool.internal.replica.ReplicaSet;
import dev.pool.internal.topology.ReplicaNode;
import dev.pool.test.EmbeddedPostgresCluster;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A primary and a replica that accept connections and never answer, for PostgreSQL and
 * for H2 over TCP (whose client has no read timeout at all): health answers within
 * {@code validation-timeout} (1 s here) plus room every time, not after a driver's own
 * timeouts (tens of seconds, or never for H2), replica checks keep running, and reads go
 * to a node that answers.
 */
class BlackholeTests {

	private static final String DB = "blackhole";

	// validation-timeout, plus two seconds for a loaded 2-core host to schedule the probe
	// threads: a stuck driver would take 10 s (pgjdbc's socket timeout here) or forever.
	private static final long HEALTH_BOUND_MILLIS = 1_000 + 2_000;

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(TestCluster.JDBC)
		.withConfiguration(AutoConfigurations.of(PoolHealthAutoConfiguration.class));

	@Test
	void postgresPrimaryAndReplicaThatNeverAnswer() throws Exception {
		EmbeddedPostgresCluster cluster = TestCluster.cluster(DB);
		try (Blackhole hole = new Blackhole()) {
			String holeUrl = "jdbc:postgresql://127.0.0.1:" + hole.port() + "/" + DB;
			this.runner.withPropertyValues("app.datasource.primary.url=" + holeUrl,
					"app.datasource.primary.username=" + cluster.username(),
					"app.datasource.primary.password=" + cluster.password(),
					"app.datasource.primary.initialization-fail-timeout=-1", "app.datasource.primary.minimum-idle=0",
					"app.datasource.primary.validation-timeout=1s", "app.datasource.primary.connection-timeout=5s",
					"app.datasource.replicas.replica-1.url=" + cluster.replica(1).jdbcUrl(DB),
					"app.datasource.replicas.hole.url=" + holeUrl, "app.datasource.routing.health-check-interval=300ms")
				.run((context) -> {
					assertHealthAnswersInTime(context);
					ReplicaSet replicas = context.getBean(ReplicaSet.class);
					await().atMost(10, TimeUnit.SECONDS).until(() -> replicas.state("hole").status().equals("DOWN"));
					assertChecksKeepRunning(() -> replicas.state("replica-1"));
					DataSource dataSource = context.getBean(DataSource.class);
					for (int i = 0; i < 10; i++) {
						long start = System.nanoTime();
						try (Connection connection = dataSource.getConnection()) {
							connection.setReadOnly(true);
							assertThat(TestCluster.node(connection).port()).isEqualTo(cluster.replica(1).port());
						}
						assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
					}
				});
		}
	}

	@Test
	void h2PrimaryAndReplicaThatNeverAnswer() throws Exception {
		try (Blackhole hole = new Blackhole()) {
			String holeUrl = "jdbc:h2:tcp://127.0.0.1:" + hole.port() + "/mem:" + DB;
			this.runner
				.withPropertyValues("app.datasource.primary.url=" + holeUrl, "app.datasource.primary.username=sa",
						"app.datasource.primary.initialization-fail-timeout=-1",
						"app.datasource.primary.minimum-idle=0", "app.datasource.primary.validation-timeout=1s",
						"app.datasource.primary.connection-timeout=5s", "app.datasource.replicas.hole.url=" + holeUrl,
						"app.datasource.routing.health-check-interval=300ms")
				.run((context) -> {
					try {
						assertHealthAnswersInTime(context);
						ReplicaSet replicas = context.getBean(ReplicaSet.class);
						// The first check is given up at its deadline; the ones after it
						// fail at once while it is still stuck in the driver.
						await().atMost(10, TimeUnit.SECONDS)
							.untilAsserted(
									() -> assertThat(replicas.state("hole").error()).contains("has not returned yet"));
						assertThat(replicas.state("hole").status()).isEqualTo("DOWN");
					}
					finally {
						// Stuck driver reads end only when the node goes away.
						hole.close();
					}
				});
		}
	}

	private static void assertHealthAnswersInTime(AssertableApplicationContext context) {
		PoolHealthIndicator health = context.getBean(PoolHealthIndicator.class);
		for (int i = 0; i < 3; i++) {
			long start = System.nanoTime();
			Health answer = health.health(true);
			long millis = (System.nanoTime() - start) / 1_000_000;
			assertThat(answer.getStatus()).isEqualTo(Status.DOWN);
			assertThat(millis).as("ms for health call " + (i + 1)).isLessThan(HEALTH_BOUND_MILLIS);
		}
	}

	private static void assertChecksKeepRunning(Supplier<ReplicaNode> replica) {
		Set<Double> latencies = new HashSet<>();
		await().atMost(10, TimeUnit.SECONDS).until(() -> {
			latencies.add(replica.get().latencyMillis());
			return latencies.size() >= 3;
		});
		assertThat(replica.get().status()).isEqualTo("UP");
	}

}
