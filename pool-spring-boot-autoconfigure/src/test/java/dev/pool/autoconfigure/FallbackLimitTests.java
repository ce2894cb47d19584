package dev.pool.autoconfigure;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import dev.pool.NoReplicaAvailableException;
import dev.pool.internal.replica.ReplicaSet;
import dev.pool.test.EmbeddedPostgresCluster;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * When every replica is gone, reads fall back to the primary, but they may hold at most
 * {@code routing.fallback-max-connections} of its connections (default half its pool), so
 * writes keep the rest; a read beyond that is refused at once
 * ({@link NoReplicaAvailableException}, a 503).
 */
class FallbackLimitTests {

	private static final String DB = "fallback_limit";

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(TestCluster.JDBC);

	@Test
	void readsThatFellBackHoldAtMostHalfThePrimaryAndWritesKeepTheRest() throws Exception {
		EmbeddedPostgresCluster cluster = TestCluster.cluster(DB);
		// Both replicas refuse connections (nothing listens on port 1).
		this.runner
			.withPropertyValues("app.datasource.primary.url=" + cluster.primary().jdbcUrl(DB),
					"app.datasource.primary.username=" + cluster.username(),
					"app.datasource.primary.password=" + cluster.password(),
					"app.datasource.primary.maximum-pool-size=4", "app.datasource.primary.connection-timeout=2s",
					"app.datasource.replicas.gone-1.url=jdbc:postgresql://127.0.0.1:1/" + DB,
					"app.datasource.replicas.gone-2.url=jdbc:postgresql://127.0.0.1:1/" + DB,
					"app.datasource.routing.health-check-interval=1h")
			.run((context) -> {
				DataSource dataSource = context.getBean(DataSource.class);
				List<Connection> reads = new ArrayList<>();
				try {
					for (int i = 0; i < 2; i++) {
						reads.add(read(dataSource));
					}
					assertThat(context.getBean(ReplicaSet.class).states())
						.allSatisfy((replica) -> assertThat(replica.status()).isEqualTo("DOWN"));
					long start = System.nanoTime();
					assertThatExceptionOfType(NoReplicaAvailableException.class).isThrownBy(() -> read(dataSource))
						.withMessageContaining("fallback-max-connections");
					assertThat((System.nanoTime() - start) / 1_000_000).as("ms to refuse the third read")
						.isLessThan(1_000);
					// Writes still get the other two.
					try (Connection first = write(dataSource); Connection second = write(dataSource)) {
						assertThat(TestCluster.node(first).isPrimary()).isTrue();
						assertThat(TestCluster.node(second).isPrimary()).isTrue();
					}
					// A read that gives its connection back makes room for the next.
					reads.remove(0).close();
					reads.add(read(dataSource));
				}
				finally {
					for (Connection read : reads) {
						read.close();
					}
				}
			});
	}

	@Test
	void theLimitCanBeRaisedToThePrimarysWholePool() {
		EmbeddedPostgresCluster cluster = TestCluster.cluster(DB);
		this.runner.withPropertyValues("app.datasource.primary.url=" + cluster.primary().jdbcUrl(DB),
				"app.datasource.primary.username=" + cluster.username(),
				"app.datasource.primary.password=" + cluster.password(), "app.datasource.primary.maximum-pool-size=4",
				"app.datasource.replicas.gone.url=jdbc:postgresql://127.0.0.1:1/" + DB,
				"app.datasource.routing.fallback-max-connections=4", "app.datasource.routing.health-check-interval=1h")
			.run((context) -> {
				DataSource dataSource = context.getBean(DataSource.class);
				List<Connection> reads = new ArrayList<>();
				try {
					for (int i = 0; i < 4; i++) {
						reads.add(read(dataSource));
					}
					assertThat(reads).hasSize(4);
				}
				finally {
					for (Connection read : reads) {
						read.close();
					}
				}
			});
	}

	// A read-only connection that ran its first statement: it holds a physical one.
	private static Connection read(DataSource dataSource) throws SQLException {
		Connection connection = dataSource.getConnection();
		try {
			connection.setReadOnly(true);
			assertThat(TestCluster.node(connection).isPrimary()).isTrue();
			return connection;
		}
		catch (SQLException | RuntimeException ex) {
			connection.close();
			throw ex;
		}
	}

	private static Connection write(DataSource dataSource) throws SQLException {
		Connection connection = dataSource.getConnection();
		TestCluster.node(connection);
		return connection;
	}

}
