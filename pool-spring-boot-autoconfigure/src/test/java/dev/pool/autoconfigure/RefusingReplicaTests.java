package dev.pool.autoconfigure;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.pool.internal.replica.ReplicaSet;
import dev.pool.internal.topology.ReplicaNode;
import dev.pool.test.EmbeddedPostgresCluster;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A replica that refuses connections costs no read a wait, even with a 30 s
 * {@code connection-timeout}: its first refused attempt ejects it and every read goes to
 * a node that answers.
 */
class RefusingReplicaTests {

	private static final String DB = "refusing";

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(TestCluster.JDBC);

	@Test
	void readsNeverWaitForAReplicaThatRefusesConnections() {
		EmbeddedPostgresCluster cluster = TestCluster.cluster(DB);
		this.runner.withPropertyValues(TestCluster.properties(DB, "app.datasource.primary.connection-timeout=30s",
				"app.datasource.replicas.gone.url=jdbc:postgresql://127.0.0.1:1/" + DB,
				"app.datasource.routing.health-check-interval=1h"))
			.run((context) -> {
				DataSource dataSource = context.getBean(DataSource.class);
				long slowest = slowestOfTwentyReads(dataSource, cluster);
				System.out.println("[refusing replica] slowest of 20 reads: " + slowest + " ms");
				assertThat(slowest).as("ms for the slowest read, against a 30 s connection-timeout").isLessThan(5_000);
				ReplicaNode gone = context.getBean(ReplicaSet.class).state("gone");
				assertThat(gone.status()).isEqualTo("DOWN");
				assertThat(gone.error()).contains("refused");
			});
	}

	@Test
	void aReplicaThatStopsUnderTheApplicationCostsNoReadAWait() {
		EmbeddedPostgresCluster cluster = TestCluster.cluster(DB);
		// Checks an hour apart: only what the pool sees can take the replica out.
		this.runner.withPropertyValues(TestCluster.properties(DB, "app.datasource.primary.connection-timeout=30s",
				"app.datasource.routing.health-check-interval=1h"))
			.run((context) -> {
				DataSource dataSource = context.getBean(DataSource.class);
				ReplicaSet replicas = context.getBean(ReplicaSet.class);
				await().atMost(10, TimeUnit.SECONDS).until(() -> replicas.state("replica-2").latencyMillis() > 0);
				assertThat(replicas.state("replica-2").status()).isEqualTo("UP");
				cluster.replica(2).stop();
				try {
					long slowest = slowestOfTwentyReads(dataSource, cluster);
					System.out.println("[stopped replica] slowest of 20 reads: " + slowest + " ms");
					assertThat(slowest).as("ms for the slowest read, against a 30 s connection-timeout")
						.isLessThan(5_000);
					assertThat(replicas.state("replica-2").status()).isEqualTo("DOWN");
				}
				finally {
					cluster.replica(2).start();
				}
			});
	}

	// 20 concurrent reads, each on a thread of its own: the milliseconds of the slowest.
	private static long slowestOfTwentyReads(DataSource dataSource, EmbeddedPostgresCluster cluster) throws Exception {
		ExecutorService readers = Executors.newFixedThreadPool(20);
		try {
			List<CompletableFuture<Long>> reads = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				reads.add(CompletableFuture.supplyAsync(() -> timedRead(dataSource, cluster), readers));
			}
			long slowest = 0;
			for (CompletableFuture<Long> read : reads) {
				slowest = Math.max(slowest, read.get(40, TimeUnit.SECONDS));
			}
			return slowest;
		}
		finally {
			readers.shutdownNow();
		}
	}

	private static long timedRead(DataSource dataSource, EmbeddedPostgresCluster cluster) {
		long start = System.nanoTime();
		try (Connection connection = dataSource.getConnection()) {
			connection.setReadOnly(true);
			TestCluster.Node node = TestCluster.node(connection);
			assertThat(node.port()).isIn(cluster.replica(1).port(), cluster.replica(2).port(),
					cluster.primary().port());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		return (System.nanoTime() - start) / 1_000_000;
	}

}
