package dev.pool.autoconfigure;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.pool.internal.topology.LiveTopology;
import dev.pool.test.EmbeddedPostgresCluster;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What the primary's circuit breaker counts, on real servers: refused connection attempts
 * open it with no request waiting at all; connections that break in use open it; SQL
 * errors, however many, never do.
 */
class BreakerSignalsTests {

	private static final String DB = "signals";

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(TestCluster.JDBC);

	@Test
	void refusedConnectionAttemptsAloneOpenItWithoutARequest() {
		// Nothing listens on port 1; the pool tries to keep 2 connections on its own.
		this.runner
			.withPropertyValues("app.datasource.primary.url=jdbc:postgresql://127.0.0.1:1/" + DB,
					"app.datasource.primary.username=nobody", "app.datasource.primary.initialization-fail-timeout=-1",
					"app.datasource.primary.minimum-idle=2")
			.run((context) -> {
				LiveTopology topology = context.getBean(LiveTopology.class);
				await().atMost(15, TimeUnit.SECONDS)
					.until(() -> topology.current().primary().breaker().state().equals("OPEN"));
				assertThat(topology.current().primary().pool().snapshot().waiting()).isZero();
				assertThat(topology.current().primary().pool().snapshot().active()).isZero();
			});
	}

	@Test
	void connectionsThatBreakInUseOpenIt() {
		EmbeddedPostgresCluster cluster = TestCluster.cluster(DB);
		this.runner.withPropertyValues(TestCluster.properties(DB, "app.datasource.primary.maximum-pool-size=3",
				"app.datasource.circuit-breaker.failure-threshold=3",
				"app.datasource.routing.health-check-interval=1h"))
			.run((context) -> {
				DataSource dataSource = context.getBean(DataSource.class);
				LiveTopology topology = context.getBean(LiveTopology.class);
				List<CompletableFuture<Throwable>> sleepers = new ArrayList<>();
				// Threads of their own: the common pool may run one task at a time on two
				// cores.
				ExecutorService threads = Executors.newFixedThreadPool(3);
				for (int i = 0; i < 3; i++) {
					sleepers.add(CompletableFuture.supplyAsync(() -> sleep(dataSource), threads));
				}
				threads.shutdown();
				await().atMost(10, TimeUnit.SECONDS)
					.until(() -> topology.current().primary().pool().snapshot().active() == 3);
				try (Connection admin = cluster.primary().connect("postgres");
						Statement statement = admin.createStatement()) {
					// No new connection may succeed meanwhile: a success would start the
					// count again.
					statement.execute("ALTER DATABASE " + DB + " ALLOW_CONNECTIONS false");
					try {
						statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
								+ DB + "' AND query LIKE 'SELECT pg_sleep(30)%'");
						for (CompletableFuture<Throwable> sleeper : sleepers) {
							assertThat(sleeper.get(10, TimeUnit.SECONDS)).isInstanceOf(SQLException.class)
								.satisfies((ex) -> assertThat(((SQLException) ex).getSQLState()).isEqualTo("57P01"));
						}
						assertThat(topology.current().primary().breaker().state()).isEqualTo("OPEN");
					}
					finally {
						statement.execute("ALTER DATABASE " + DB + " ALLOW_CONNECTIONS true");
					}
				}
			});
	}

	@Test
	void sqlErrorsNeverCount() {
		TestCluster.cluster(DB);
		this.runner.withPropertyValues(TestCluster.properties(DB, "app.datasource.circuit-breaker.failure-threshold=3",
				"app.datasource.routing.health-check-interval=1h"))
			.run((context) -> {
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				LiveTopology topology = context.getBean(LiveTopology.class);
				jdbc.execute("CREATE TABLE IF NOT EXISTS signal (id int PRIMARY KEY)");
				jdbc.update("INSERT INTO signal VALUES (1) ON CONFLICT DO NOTHING");
				for (int i = 0; i < 5; i++) {
					failsWith(() -> jdbc.update("INSERT INTO signal VALUES (1)"), "23505");
					failsWith(() -> jdbc.execute("SELEC 1"), "42601");
					failsWith(
							() -> jdbc
								.execute("DO $$ BEGIN RAISE EXCEPTION 'deadlock' USING ERRCODE = '40P01'; END $$"),
							"40P01");
				}
				JdbcTemplate impatient = new JdbcTemplate(context.getBean(DataSource.class));
				impatient.setQueryTimeout(1);
				for (int i = 0; i < 3; i++) {
					failsWith(() -> impatient.execute("SELECT pg_sleep(5)"), "57014");
				}
				assertThat(topology.current().primary().breaker().state()).isEqualTo("CLOSED");
				assertThat(jdbc.queryForObject("SELECT 1", Integer.class)).isEqualTo(1);
			});
	}

	private static Throwable sleep(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("SELECT pg_sleep(30)");
			return new AssertionError("the sleep was not interrupted");
		}
		catch (SQLException ex) {
			return ex;
		}
	}

	private static void failsWith(Runnable statement, String sqlState) {
		assertThatExceptionOfType(DataAccessException.class).isThrownBy(statement::run)
			.satisfies(
					(ex) -> assertThat(((SQLException) ex.getMostSpecificCause()).getSQLState()).isEqualTo(sqlState));
	}

}
