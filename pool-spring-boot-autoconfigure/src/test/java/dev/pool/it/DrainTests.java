package dev.pool.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.DrainingException;
import dev.pool.internal.failure.ConnectionFailures;
import dev.pool.internal.routing.ConnectionGate;
import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.EmbeddedPostgresProperties;
import dev.pool.test.SharedEmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shutdown with work in flight: the transaction finishes, newcomers are refused at once,
 * and shutdown never outlasts the drain timeout.
 */
@ExtendWith(OutputCaptureExtension.class)
class DrainTests {

	private static final String DB = "drain_test";

	@Test
	void shutdownLetsARunningTransactionCommitAndRefusesNewcomers(CapturedOutput output) throws Exception {
		ConfigurableApplicationContext context = start("10s");
		List<Object> readiness = new CopyOnWriteArrayList<>();
		context.addApplicationListener(
				(ApplicationListener<AvailabilityChangeEvent<?>>) (event) -> readiness.add(event.getState()));
		JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
		HikariDataSource primary = context.getBean("primaryDataSource", HikariDataSource.class);
		ConnectionGate gate = context.getBean(ConnectionGate.class);
		jdbc.execute("CREATE TABLE IF NOT EXISTS drained (id int)");
		jdbc.execute("DELETE FROM drained");
		TransactionTemplate tx = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
		CountDownLatch newcomerAnswered = new CountDownLatch(1);
		// Two threads of their own: the transaction blocks until the newcomer has run.
		ExecutorService threads = Executors.newFixedThreadPool(2);
		// The transaction is still running when the drain starts, and ends only after a
		// newcomer has been answered during the drain.
		CompletableFuture<Void> transaction = CompletableFuture.runAsync(() -> tx.executeWithoutResult((status) -> {
			jdbc.update("INSERT INTO drained VALUES (1)");
			awaitLatch(newcomerAnswered);
			jdbc.update("INSERT INTO drained VALUES (2)");
		}), threads);
		await().atMost(10, TimeUnit.SECONDS).until(() -> primary.getHikariPoolMXBean().getActiveConnections() == 1);
		CompletableFuture<Throwable> newcomer = CompletableFuture.supplyAsync(() -> {
			await().atMost(10, TimeUnit.SECONDS).until(gate::isClosed);
			try {
				jdbc.queryForObject("SELECT 1", Integer.class);
				return null;
			}
			catch (RuntimeException ex) {
				return ex;
			}
			finally {
				newcomerAnswered.countDown();
			}
		}, threads);
		long start = System.nanoTime();
		context.close();
		long closeMillis = (System.nanoTime() - start) / 1_000_000;
		transaction.get(5, TimeUnit.SECONDS);
		threads.shutdown();
		assertThat(closeMillis).as("ms to close, drain timeout 10 s").isLessThan(10_000);
		Throwable refused = newcomer.get(5, TimeUnit.SECONDS);
		assertThat(refused).isNotNull();
		assertThat(causes(refused)).anyMatch(DrainingException.class::isInstance);
		assertThat(ConnectionFailures.isConnectionFailure(refused)).isFalse();
		assertThat(readiness).contains(ReadinessState.REFUSING_TRAFFIC);
		// Both rows: the drain waited for the commit instead of closing the connection
		// under it.
		assertThat(committedRows()).isEqualTo(2);
		assertThat(output).contains("Pool 'primary' drained: 1 active at start")
			.contains("0 closed by force")
			.contains("Pool 'replica-1' drained: 0 active at start");
	}

	@Test
	void drainTimeoutHoldsWhenAConnectionIsNeverReturned(CapturedOutput output) throws Exception {
		ConfigurableApplicationContext context = start("1s");
		Connection leaked = context.getBean(DataSource.class).getConnection();
		leaked.createStatement().execute("SELECT 1");
		long start = System.nanoTime();
		context.close();
		long closeMillis = (System.nanoTime() - start) / 1_000_000;
		assertThat(closeMillis).as("ms to close, drain timeout 1 s").isBetween(1000L, 10_000L);
		assertThat(output).contains("Pool 'primary' drained: 1 active at start").contains("1 closed by force");
	}

	private static ConfigurableApplicationContext start(String drainTimeout) {
		EmbeddedPostgresCluster cluster = SharedEmbeddedPostgres.withDatabase(DB);
		List<String> args = new ArrayList<>();
		EmbeddedPostgresProperties.of(cluster, DB).forEach((name, value) -> args.add("--" + name + "=" + value));
		args.add("--app.datasource.primary.maximum-pool-size=3");
		args.add("--app.datasource.drain.timeout=" + drainTimeout);
		return new SpringApplicationBuilder(TestApp.class).web(WebApplicationType.NONE)
			.run(args.toArray(String[]::new));
	}

	private static int committedRows() throws Exception {
		try (Connection connection = SharedEmbeddedPostgres.cluster().primary().connect(DB);
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT count(*) FROM drained")) {
			rs.next();
			return rs.getInt(1);
		}
	}

	private static void awaitLatch(CountDownLatch latch) {
		try {
			assertThat(latch.await(10, TimeUnit.SECONDS)).as("newcomer answered").isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static List<Throwable> causes(Throwable throwable) {
		List<Throwable> causes = new ArrayList<>();
		for (Throwable current = throwable; current != null; current = current.getCause()) {
			causes.add(current);
		}
		return causes;
	}

}
