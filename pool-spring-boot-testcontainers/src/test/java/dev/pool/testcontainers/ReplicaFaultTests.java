package dev.pool.testcontainers;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import dev.pool.internal.replica.ReplicaSet;
import dev.pool.internal.topology.ReplicaNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real faults on containers, from a JUnit {@code @Container} field: a killed or frozen
 * replica is ejected and its reads go to the other, a restarted one is admitted again,
 * and a replica whose replay is delayed is left out while it lags.
 */
@RequiresDockerEngine
@Testcontainers
@SpringBootTest(classes = ReplicaSetApp.class,
		properties = { "app.datasource.routing.health-check-interval=300ms",
				"app.datasource.routing.max-replica-lag=2s", "app.datasource.replicas.replica-1.connection-timeout=1s",
				"app.datasource.replicas.replica-2.connection-timeout=1s",
				"app.datasource.replicas.replica-1.validation-timeout=1s" })
class ReplicaFaultTests {

	@Container
	@ServiceConnection
	static final PostgresReplicaSetContainer cluster = new PostgresReplicaSetContainer(TestImages.postgres())
		.withReplicas(2);

	private static final Duration WAIT = Duration.ofSeconds(60);

	@Autowired
	private ReplicaSetApp.Reads reads;

	@Autowired
	private ReplicaSet replicas;

	@Autowired
	private JdbcTemplate jdbc;

	@AfterEach
	void healAndWaitForBothReplicas() {
		PostgresReplicaContainer replica = cluster.getReplica("replica-1");
		replica.setReplayDelay(Duration.ZERO);
		this.jdbc.execute("SELECT txid_current()");
		await().atMost(WAIT).until(() -> state("replica-1").isAvailable() && state("replica-2").isAvailable());
	}

	@Test
	void aKilledReplicaIsEjectedAndARestartedOneReadmitted() {
		PostgresReplicaContainer replica = cluster.getReplica("replica-1");
		replica.kill();
		await().atMost(WAIT).until(() -> !state("replica-1").up());
		assertThat(readers(10)).containsOnly("replica-2:true");

		replica.restart();
		await().atMost(WAIT).until(() -> state("replica-1").isAvailable());
		assertThat(readers(10)).containsExactlyInAnyOrder("replica-1:true", "replica-2:true");
	}

	@Test
	void aFrozenReplicaIsEjectedAndReadmittedWhenItResumes() {
		PostgresReplicaContainer replica = cluster.getReplica("replica-1");
		replica.pause();
		try {
			// Nothing refuses: the replica's health check times out.
			await().atMost(WAIT).until(() -> !state("replica-1").up());
			assertThat(readers(10)).containsOnly("replica-2:true");
		}
		finally {
			replica.resume();
		}
		await().atMost(WAIT).until(() -> state("replica-1").isAvailable());
		assertThat(readers(10)).containsExactlyInAnyOrder("replica-1:true", "replica-2:true");
	}

	@Test
	void aLaggingReplicaIsLeftOutUntilItCatchesUp() {
		PostgresReplicaContainer replica = cluster.getReplica("replica-1");
		// Lag is measured from the last replayed transaction: a freshly started replica
		// must have replayed one first.
		this.jdbc.execute("CREATE TABLE IF NOT EXISTS lag_marker (at timestamptz)");
		this.jdbc.update("INSERT INTO lag_marker VALUES (now())");
		JdbcTemplate onReplica = new JdbcTemplate(new SimpleDriverDataSource(new org.postgresql.Driver(),
				replica.getJdbcUrl(), cluster.getUsername(), cluster.getPassword()));
		await().atMost(WAIT)
			.until(() -> onReplica.queryForObject("SELECT pg_last_xact_replay_timestamp() IS NOT NULL", Boolean.class));
		replica.setReplayDelay(Duration.ofMinutes(5));
		this.jdbc.update("INSERT INTO lag_marker VALUES (now())");
		await().atMost(WAIT).until(() -> state("replica-1").lagging());
		assertThat(state("replica-1").lagSeconds()).isGreaterThan(2);
		assertThat(readers(10)).containsOnly("replica-2:true");

		replica.setReplayDelay(Duration.ZERO);
		await().atMost(WAIT).until(() -> state("replica-1").isAvailable());
		assertThat(readers(10)).contains("replica-1:true");
	}

	private ReplicaNode state(String name) {
		ReplicaNode state = this.replicas.state(name);
		assertThat(state).isNotNull();
		return state;
	}

	private Set<String> readers(int reads) {
		Set<String> readers = new HashSet<>();
		for (int i = 0; i < reads; i++) {
			readers.add(this.reads.readOnly());
		}
		return readers;
	}

}
