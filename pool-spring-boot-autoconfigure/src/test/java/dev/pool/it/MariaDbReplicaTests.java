package dev.pool.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.pool.ReadOnly;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.internal.topology.ReplicaNode;
import dev.pool.test.EmbeddedMariaDbCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The replica checks on a real MariaDB primary and two GTID replicas (Debian's
 * {@code mariadb-server}): reads reach the replicas and writes the primary; a replica
 * whose SQL thread stops serves no reads until it runs again; a replica behind by more
 * than {@code max-replica-lag} ({@code MASTER_DELAY}) is kept out until it catches up; a
 * replica that refuses new connections for their number stays in routing; a login that
 * may not read the replication status still serves reads; a replica whose
 * {@code @@read_only} went off is seen as promoted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MariaDbReplicaTests {

	private static final String DB = "shop";

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
		List<String> args = new ArrayList<>();
		args.add("--app.datasource.primary.url=" + cluster.primary().jdbcUrl(DB));
		args.add("--app.datasource.primary.username=" + EmbeddedMariaDbCluster.USERNAME);
		args.add("--app.datasource.primary.password=" + EmbeddedMariaDbCluster.PASSWORD);
		for (int i = 1; i <= 2; i++) {
			args.add("--app.datasource.replicas.replica-" + i + ".url=" + cluster.replica(i).jdbcUrl(DB));
		}
		args.add("--app.datasource.routing.health-check-interval=200ms");
		args.add("--app.datasource.routing.max-replica-lag=1s");
		// Flyway is on this module's test class path without its MariaDB module.
		args.add("--spring.flyway.enabled=false");
		context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).run(args.toArray(String[]::new));
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
	@Order(1)
	void readsReachTheReplicasAndWritesThePrimary() {
		assertThat(readPorts(20)).containsExactlyInAnyOrder(cluster.replica(1).port(), cluster.replica(2).port());
		assertThat(context.getBean(App.Writes.class).node()).isEqualTo("0:" + cluster.primary().port());
	}

	@Test
	@Order(2)
	void aReplicaWhoseSqlThreadStoppedServesNoReadsUntilItRunsAgain() {
		cluster.replica(1).stopSqlThread();
		try {
			await().atMost(10, TimeUnit.SECONDS)
				.pollInterval(Duration.ofMillis(100))
				.until(() -> readPorts(10).equals(Set.of(cluster.replica(2).port())));
			assertThat(replica("replica-1").error()).contains("not replicating");
		}
		finally {
			cluster.replica(1).startSqlThread();
		}
		await().atMost(10, TimeUnit.SECONDS)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> readPorts(20).contains(cluster.replica(1).port()));
	}

	@Test
	@Order(3)
	void aReplicaBehindByMoreThanMaxReplicaLagIsKeptOutUntilItCatchesUp() throws Exception {
		cluster.replica(2).setReplicationDelay(Duration.ofSeconds(4));
		AtomicBoolean writing = new AtomicBoolean(true);
		// Lag is measured on transactions waiting to be applied: keep some coming.
		Thread writer = new Thread(() -> {
			try (Connection connection = cluster.primary().connect(DB);
					Statement statement = connection.createStatement()) {
				while (writing.get()) {
					statement.executeUpdate("INSERT INTO tick (at) VALUES (NOW(3))");
					Thread.sleep(100);
				}
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}, "mariadb-ticks");
		writer.start();
		try {
			await().atMost(15, TimeUnit.SECONDS)
				.pollInterval(Duration.ofMillis(100))
				.until(() -> replica("replica-2").lagging());
			assertThat(replica("replica-2").lagSeconds()).isGreaterThan(1.0);
			assertThat(readPorts(10)).containsOnly(cluster.replica(1).port());
		}
		finally {
			writing.set(false);
			writer.join(5_000);
			cluster.replica(2).setReplicationDelay(Duration.ZERO);
		}
		await().atMost(20, TimeUnit.SECONDS)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> !replica("replica-2").lagging() && readPorts(20).contains(cluster.replica(2).port()));
	}

	@Test
	@Order(4)
	void aReplicaRefusingConnectionsForTheirNumberStaysInReadRouting() throws Exception {
		EmbeddedMariaDbCluster.MariaDbNode replica = cluster.replica(1);
		List<Connection> held = new ArrayList<>();
		try {
			int connected;
			try (Connection connection = replica.connect(DB);
					Statement statement = connection.createStatement();
					ResultSet rs = statement.executeQuery("SHOW STATUS LIKE 'Threads_connected'")) {
				rs.next();
				connected = rs.getInt(2);
			}
			replica.rootSql("SET GLOBAL max_connections = " + connected);
			// Take what is left, the spare connection of a privileged login included,
			// until the server refuses: error 1040, SQLState 08004.
			SQLException refused = null;
			while (refused == null && held.size() < 20) {
				try {
					held.add(replica.connect(DB));
				}
				catch (SQLException ex) {
					refused = ex;
				}
			}
			assertThat((Throwable) refused).as("a connection beyond max_connections").isNotNull();
			assertThat(refused.getErrorCode()).isEqualTo(1040);
			// The checks (new connections, refused) keep it in routing, and the pool's
			// connections keep serving.
			await().during(Duration.ofMillis(800))
				.atMost(3, TimeUnit.SECONDS)
				.until(() -> replica("replica-1").isAvailable());
			assertThat(readPorts(20)).contains(replica.port());
		}
		finally {
			for (Connection connection : held) {
				connection.close();
			}
			replica.rootSql("SET GLOBAL max_connections = 300");
		}
	}

	@Test
	@Order(5)
	void aLoginThatMayNotReadTheReplicationStatusStillServesReadsWithItsLagUnknown() {
		// SELECT on the data only: no REPLICA MONITOR (the user reaches the replicas by
		// replication).
		cluster.primary()
			.rootSql("CREATE USER IF NOT EXISTS 'reader'@'%' IDENTIFIED BY 'reader'; GRANT SELECT ON " + DB
					+ ".* TO 'reader'@'%';");
		cluster.awaitReplication();
		List<String> args = new ArrayList<>(List.of("--app.datasource.primary.url=" + cluster.primary().jdbcUrl(DB),
				"--app.datasource.primary.username=" + EmbeddedMariaDbCluster.USERNAME,
				"--app.datasource.primary.password=" + EmbeddedMariaDbCluster.PASSWORD,
				"--app.datasource.replicas.replica-1.url=" + cluster.replica(1).jdbcUrl(DB),
				"--app.datasource.replicas.replica-1.username=reader",
				"--app.datasource.replicas.replica-1.password=reader",
				"--app.datasource.routing.health-check-interval=200ms",
				"--app.datasource.consistency.read-your-writes=false", "--spring.flyway.enabled=false"));
		try (ConfigurableApplicationContext unprivileged = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.run(args.toArray(String[]::new))) {
			LiveTopology topology = unprivileged.getBean(LiveTopology.class);
			await().atMost(5, TimeUnit.SECONDS)
				.until(() -> !Double.isNaN(topology.current().replicas().get(0).latencyMillis()));
			// It stays in read routing over several checks (200 ms apart).
			await().during(Duration.ofMillis(800))
				.atMost(3, TimeUnit.SECONDS)
				.until(() -> topology.current().replicas().get(0).isAvailable());
			ReplicaNode replica = topology.current().replicas().get(0);
			assertThat(replica.isAvailable()).isTrue();
			assertThat(replica.lagSeconds()).isNaN();
			assertThat(unprivileged.getBean(App.Reads.class).node()).isEqualTo("1:" + cluster.replica(1).port());
		}
	}

	@Test
	@Order(6)
	void aReplicaWhoseReadOnlyWentOffIsSeenAsPromoted() {
		cluster.replica(2).promote();
		await().atMost(10, TimeUnit.SECONDS)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> replica("replica-2").promoted());
		assertThat(replica("replica-1").promoted()).isFalse();
	}

	private static Set<Integer> readPorts(int reads) {
		App.Reads readsBean = context.getBean(App.Reads.class);
		Set<Integer> ports = new HashSet<>();
		for (int i = 0; i < reads; i++) {
			String node = readsBean.node();
			assertThat(node).as("a read runs on a read-only server").startsWith("1:");
			ports.add(Integer.valueOf(node.substring(2)));
		}
		return ports;
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

	/**
	 * Reads and writes that say which server ran them; a source of its own, not a
	 * component, so the package's scanning applications never pick it up.
	 */
	@EnableAutoConfiguration
	static class App {

		static final String NODE = "SELECT @@read_only, @@port";

		// "1:<port>" on a read-only server, "0:<port>" on the primary.
		static String node(JdbcTemplate jdbc) {
			return jdbc.queryForObject(NODE, (rs, row) -> rs.getInt(1) + ":" + rs.getInt(2));
		}

		@Bean
		Reads reads(JdbcTemplate jdbc) {
			return new Reads(jdbc);
		}

		@Bean
		Writes writes(JdbcTemplate jdbc) {
			return new Writes(jdbc);
		}

		static class Reads {

			private final JdbcTemplate jdbc;

			Reads(JdbcTemplate jdbc) {
				this.jdbc = jdbc;
			}

			@ReadOnly
			public String node() {
				return App.node(this.jdbc);
			}

		}

		static class Writes {

			private final JdbcTemplate jdbc;

			Writes(JdbcTemplate jdbc) {
				this.jdbc = jdbc;
			}

			public String node() {
				return App.node(this.jdbc);
			}

			/** Writes a row of table {@code tick}, then says which server took it. */
			public String write() {
				this.jdbc.update("INSERT INTO tick (at) VALUES (NOW(3))");
				return App.node(this.jdbc);
			}

		}

	}

}
