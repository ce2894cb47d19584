package dev.pool.autoconfigure;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.pool.ReadOnly;
import dev.pool.ReplicaConnectionDetails;
import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.PostgresNode;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@code @ReadOnly} method whose replica connection is terminated mid-read runs again
 * on another node, as many times as the topology has replicas: also when the replicas
 * come from {@link ReplicaConnectionDetails} (as {@code @ServiceConnection} and Docker
 * Compose give them), not from {@code app.datasource.replicas}.
 */
class ReadOnlyRetryTests {

	private static final String DB = "read_only_retry";

	private static final String SLEEPY_READ = "SELECT pg_sleep(1)::text || inet_server_port()";

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(TestCluster.JDBC)
		.withUserConfiguration(ReplicasFromDetails.class);

	@Test
	void aReadWhoseReplicaBreaksRunsAgainWhenTheReplicasComeFromConnectionDetails() {
		EmbeddedPostgresCluster cluster = TestCluster.cluster(DB);
		this.runner
			.withPropertyValues("app.datasource.primary.url=" + cluster.primary().jdbcUrl(DB),
					"app.datasource.primary.username=" + cluster.username(),
					"app.datasource.primary.password=" + cluster.password(),
					"app.datasource.routing.health-check-interval=1h")
			.run((context) -> {
				SlowReader reader = context.getBean(SlowReader.class);
				CompletableFuture<String> read = CompletableFuture.supplyAsync(reader::read);
				// The first attempt's backend, on whichever replica it went to.
				PostgresNode[] serving = new PostgresNode[1];
				await().atMost(10, TimeUnit.SECONDS).until(() -> {
					for (PostgresNode replica : cluster.replicas()) {
						if (runningSleepyRead(replica)) {
							serving[0] = replica;
							return true;
						}
					}
					return false;
				});
				terminateSleepyRead(serving[0]);
				String node = read.get(20, TimeUnit.SECONDS);
				assertThat(node).as("the read ran again and answered")
					.isNotEqualTo(Integer.toString(serving[0].port()));
			});
	}

	private static boolean runningSleepyRead(PostgresNode replica) throws SQLException {
		try (Connection connection = replica.connect(DB);
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE query = '"
						+ SLEEPY_READ.replace("'", "''") + "' AND state = 'active'")) {
			rs.next();
			return rs.getInt(1) > 0;
		}
	}

	private static void terminateSleepyRead(PostgresNode replica) throws SQLException {
		try (Connection connection = replica.connect(DB); Statement statement = connection.createStatement()) {
			statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = '"
					+ SLEEPY_READ.replace("'", "''") + "'");
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class ReplicasFromDetails {

		@Bean
		ReplicaConnectionDetails replicaOne() {
			EmbeddedPostgresCluster cluster = TestCluster.cluster(DB);
			return ReplicaConnectionDetails.of("one", cluster.replica(1).jdbcUrl(DB), null, null);
		}

		@Bean
		ReplicaConnectionDetails replicaTwo() {
			EmbeddedPostgresCluster cluster = TestCluster.cluster(DB);
			return ReplicaConnectionDetails.of("two", cluster.replica(2).jdbcUrl(DB), null, null);
		}

		@Bean
		SlowReader slowReader(JdbcTemplate jdbc) {
			return new SlowReader(jdbc);
		}

	}

	static class SlowReader {

		private final JdbcTemplate jdbc;

		SlowReader(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@ReadOnly
		public String read() {
			// pg_sleep returns void, whose text is empty: the answer is the port.
			return this.jdbc.queryForObject(SLEEPY_READ, String.class);
		}

	}

}
