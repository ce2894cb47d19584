package dev.pool.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.pool.routing.ConnectionFailures;
import dev.pool.routing.DrainingException;
import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.EmbeddedPostgresProperties;
import dev.pool.test.SharedEmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
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

/**
 * Shutdown with work in flight: the transaction finishes, newcomers are refused at once, and
 * shutdown never outlasts the drain timeout.
 */
@ExtendWith(OutputCaptureExtension.class)
class DrainTest {

	private static final String DB = "drain_test";

	@Test
	void shutdownLetsARunningTransactionCommitRefusesNewcomersAndEndsBeforeTheTimeout(CapturedOutput output)
			throws Exception {
		ConfigurableApplicationContext context = start("10s");
		List<Object> readiness = new CopyOnWriteArrayList<>();
		context.addApplicationListener((ApplicationListener<AvailabilityChangeEvent<?>>) (event) -> readiness
			.add(event.getState()));
		JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
		jdbc.execute("CREATE TABLE IF NOT EXISTS drained (id int)");
		jdbc.execute("DELETE FROM drained");
		TransactionTemplate tx = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
		CompletableFuture<Void> longTransaction = CompletableFuture.runAsync(() -> tx.executeWithoutResult((status) -> {
			jdbc.update("INSERT INTO drained VALUES (1)");
			sleep(3000);
			jdbc.update("INSERT INTO drained VALUES (2)");
		}));
		sleep(300);
		CompletableFuture<Throwable> newcomer = CompletableFuture.supplyAsync(() -> {
			sleep(700);
			try {
				jdbc.queryForObject("SELECT 1", Integer.class);
				return null;
			}
			catch (RuntimeException ex) {
				return ex;
			}
		});
		long start = System.nanoTime();
		context.close();
		long closeMillis = (System.nanoTime() - start) / 1_000_000;
		longTransaction.get(5, TimeUnit.SECONDS);
		assertThat(closeMillis).as("waited for the transaction, not for the timeout").isBetween(1500L, 8000L);
		Throwable refused = newcomer.get(5, TimeUnit.SECONDS);
		assertThat(refused).isNotNull();
		assertThat(causes(refused)).anyMatch(DrainingException.class::isInstance);
		assertThat(ConnectionFailures.isConnectionFailure(refused)).isFalse();
		assertThat(readiness).contains(ReadinessState.REFUSING_TRAFFIC);
		assertThat(committedRows()).isEqualTo(2);
		assertThat(output).contains("Pool 'primary' drained: 1 active at start")
			.contains("0 closed by force")
			.contains("Pool 'replica-1' drained: 0 active at start");
	}

	@Test
	void drainTimeoutHoldsWhenAConnectionIsNeverReturned(CapturedOutput output) throws Exception {
		ConfigurableApplicationContext context = start("1s");
		Connection leaked = context.getBean(javax.sql.DataSource.class).getConnection();
		leaked.createStatement().execute("SELECT 1");
		long start = System.nanoTime();
		context.close();
		long closeMillis = (System.nanoTime() - start) / 1_000_000;
		assertThat(closeMillis).isBetween(900L, 6000L);
		assertThat(output).contains("Pool 'primary' drained: 1 active at start").contains("1 closed by force");
	}

	private static ConfigurableApplicationContext start(String drainTimeout) {
		EmbeddedPostgresCluster cluster = SharedEmbeddedPostgres.withDatabase(DB);
		SpringApplicationBuilder builder = new SpringApplicationBuilder(TestApp.class).web(
				org.springframework.boot.WebApplicationType.NONE);
		List<String> args = new java.util.ArrayList<>();
		EmbeddedPostgresProperties.of(cluster, DB).forEach((name, value) -> args.add("--" + name + "=" + value));
		args.add("--app.datasource.primary.maximum-pool-size=3");
		args.add("--app.datasource.drain.timeout=" + drainTimeout);
		args.add("--spring.jpa.open-in-view=false");
		SpringApplication application = builder.build();
		return application.run(args.toArray(String[]::new));
	}

	private static int committedRows() throws Exception {
		try (Connection connection = SharedEmbeddedPostgres.cluster().primary().connect(DB);
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT count(*) FROM drained")) {
			rs.next();
			return rs.getInt(1);
		}
	}

	private static List<Throwable> causes(Throwable throwable) {
		List<Throwable> causes = new java.util.ArrayList<>();
		for (Throwable current = throwable; current != null; current = current.getCause()) {
			causes.add(current);
		}
		return causes;
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
