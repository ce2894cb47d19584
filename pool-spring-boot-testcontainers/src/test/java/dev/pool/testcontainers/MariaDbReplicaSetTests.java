package dev.pool.testcontainers;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.ReadOnly;
import dev.pool.internal.datasource.DataSourcePools;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @ServiceConnection} on a MariaDB replica set in containers: the primary and both
 * GTID replicas come from the containers over properties that name other servers, reads
 * reach the replicas, a replica whose SQL thread stops is ejected until it runs again,
 * and a writer's next read sees its write on replicas that apply writes 2 s late.
 */
@RequiresDockerEngine
@SpringBootTest(classes = MariaDbReplicaSetTests.App.class,
		properties = { "app.datasource.primary.url=jdbc:mariadb://127.0.0.1:1/ignored",
				"app.datasource.primary.username=ignored", "app.datasource.routing.health-check-interval=200ms",
				"app.datasource.routing.max-replica-lag=0" })
@Import(MariaDbReplicaSetTests.Containers.class)
class MariaDbReplicaSetTests {

	@Autowired
	private MariaDbReplicaSetContainer cluster;

	@Autowired
	private DataSourcePools pools;

	@Autowired
	private App.Nodes nodes;

	@Test
	void connectionDetailsWinOverPropertiesAndReadsReachTheReplicas() {
		HikariDataSource primary = this.pools.dataSource("primary");
		assertThat(primary.getJdbcUrl()).isEqualTo(this.cluster.getJdbcUrl());
		for (MariaDbReplicaContainer replica : this.cluster.getReplicas()) {
			assertThat(this.pools.dataSource(replica.getName()).getJdbcUrl()).isEqualTo(replica.getJdbcUrl());
		}
		assertThat(readers(16)).containsExactlyInAnyOrder("2:1", "3:1");
		assertThat(this.nodes.write()).isEqualTo("1:0");
	}

	@Test
	void aReplicaWhoseSqlThreadStoppedIsEjectedUntilItRunsAgain() {
		MariaDbReplicaContainer replica = this.cluster.getReplica("replica-1");
		replica.stopSqlThread();
		try {
			await().atMost(10, TimeUnit.SECONDS)
				.pollInterval(Duration.ofMillis(100))
				.until(() -> readers(8).equals(Set.of("3:1")));
		}
		finally {
			replica.startSqlThread();
		}
		await().atMost(10, TimeUnit.SECONDS)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> readers(16).contains("2:1"));
	}

	@Test
	void aWritersNextReadSeesItsWriteOnDelayedReplicas() {
		for (MariaDbReplicaContainer replica : this.cluster.getReplicas()) {
			replica.setReplicationDelay(Duration.ofSeconds(2));
		}
		try {
			this.nodes.createTable();
			long id = System.nanoTime();
			this.nodes.insert(id);
			// Read-your-writes by GTID: no replica has applied the write yet.
			assertThat(this.nodes.count(id)).isEqualTo(1);
		}
		finally {
			for (MariaDbReplicaContainer replica : this.cluster.getReplicas()) {
				replica.setReplicationDelay(Duration.ZERO);
			}
		}
	}

	private Set<String> readers(int reads) {
		Set<String> readers = new HashSet<>();
		for (int i = 0; i < reads; i++) {
			readers.add(this.nodes.read());
		}
		return readers;
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Containers {

		@Bean
		@ServiceConnection
		MariaDbReplicaSetContainer mariaDbReplicaSet() {
			return new MariaDbReplicaSetContainer(TestImages.mariaDb()).withReplicas(2);
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		Nodes nodes(JdbcTemplate jdbc) {
			return new Nodes(jdbc);
		}

		/** Which server answered: {@code <server_id>:<read_only>}. */
		static class Nodes {

			// @@read_only is 0/1 up to MariaDB 11.7, OFF/ON from 11.8.
			private static final String SERVED = "SELECT CONCAT(@@server_id, ':', "
					+ "IF(CAST(@@read_only AS CHAR) IN ('0', 'OFF'), 0, 1))";

			private final JdbcTemplate jdbc;

			Nodes(JdbcTemplate jdbc) {
				this.jdbc = jdbc;
			}

			@ReadOnly
			String read() {
				return this.jdbc.queryForObject(SERVED, String.class);
			}

			String write() {
				return this.jdbc.queryForObject(SERVED, String.class);
			}

			void createTable() {
				this.jdbc.execute("CREATE TABLE IF NOT EXISTS note (id BIGINT PRIMARY KEY)");
			}

			void insert(long id) {
				this.jdbc.update("INSERT INTO note (id) VALUES (?)", id);
			}

			@ReadOnly
			long count(long id) {
				return this.jdbc.queryForObject("SELECT count(*) FROM note WHERE id = ?", Long.class, id);
			}

		}

	}

}
