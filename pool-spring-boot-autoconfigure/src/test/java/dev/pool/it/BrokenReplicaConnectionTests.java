package dev.pool.it;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.pool.internal.topology.ReplicaNode;
import dev.pool.internal.replica.ReplicaSet;
import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.EmbeddedPostgresProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reads in {@code @Transactional(readOnly = true)} (no {@code @ReadOnly}, so no retry):
 * the first read that finds its replica's connection broken ejects the replica at once,
 * long before the next health check, and the reads after it go to the other replica.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext
class BrokenReplicaConnectionTests {

	private static EmbeddedPostgresCluster cluster;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		cluster = EmbeddedPostgresCluster.builder().replicas(2).start();
		cluster.createDatabase("broken");
		EmbeddedPostgresProperties.register(registry, cluster, "broken");
		registry.add("app.datasource.routing.health-check-interval", () -> "60s");
		registry.add("app.datasource.primary.connection-timeout", () -> "2s");
		registry.add("app.datasource.drain.timeout", () -> "1s");
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Autowired
	ReplicaSet replicas;

	@Test
	void aBrokenReplicaConnectionEjectsTheReplicaWithoutWaitingForTheHealthCheck() {
		TransactionTemplate readOnly = new TransactionTemplate(this.transactionManager);
		readOnly.setReadOnly(true);
		int deadPort = cluster.replica(1).port();
		// Warm both replica pools.
		for (int i = 0; i < 20; i++) {
			readOnly.execute((status) -> this.jdbc.queryForObject(TestApp.NODE, String.class));
		}
		cluster.replica(1).kill();
		long killed = System.nanoTime();
		List<String> nodes = new ArrayList<>();
		int failures = 0;
		for (int i = 0; i < 40; i++) {
			try {
				nodes.add(readOnly.execute((status) -> this.jdbc.queryForObject(TestApp.NODE, String.class)));
			}
			catch (RuntimeException ex) {
				failures++;
			}
		}
		assertThat(state("replica-1").up()).isFalse();
		// Whichever saw it first: a pooled connection breaking (as HikariCP reports it,
		// or as the driver's socket error reached the router), or its refill refused.
		assertThat(state("replica-1").error()).containsAnyOf("broke while in use", "connection attempt failed",
				"An I/O error occurred while sending to the backend");
		assertThat((System.nanoTime() - killed) / 1_000_000).as("ms until ejected, health check every 60 s")
			.isLessThan(10_000);
		// One failure per dead connection the pool still held, at most; none once
		// ejected.
		assertThat(failures).isLessThanOrEqualTo(10);
		assertThat(nodes.subList(Math.max(0, nodes.size() - 20), nodes.size()))
			.allSatisfy((node) -> assertThat(node).isEqualTo("true:" + cluster.replica(2).port()))
			.noneSatisfy((node) -> assertThat(node).endsWith(":" + deadPort));
		await().atMost(1, TimeUnit.SECONDS).until(() -> !state("replica-1").isAvailable());
	}

	private ReplicaNode state(String name) {
		ReplicaNode state = this.replicas.state(name);
		assertThat(state).as(name).isNotNull();
		return state;
	}

}
