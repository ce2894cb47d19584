package dev.pool.internal.breaker;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.pool.PrimaryUnavailableException;
import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.datasource.PoolRole;
import dev.pool.internal.datasource.TestPools;
import dev.pool.internal.datasource.Waiters;
import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.SharedEmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link CircuitBreakerPrimaryGuard}: what counts (consecutive signs of a dead
 * server), what resets the count (a connection given back intact), what it does when it
 * opens (waiting threads fail at once) and how it closes (a probe the server answers).
 * Guards borrow from pools on the real primary and from a pool on port 1, where nothing
 * listens (connection refused, SQLState 08001).
 */
class CircuitBreakerPrimaryGuardTests {

	private static final String DB = "breaker";

	private static HikariDataSource reachable;

	private static HikariDataSource single;

	private static HikariDataSource refused;

	@BeforeAll
	static void pools() {
		EmbeddedPostgresCluster cluster = SharedEmbeddedPostgres.withDatabase(DB);
		reachable = pool("reachable", cluster.primary().jdbcUrl(DB), cluster, 2);
		single = pool("single", cluster.primary().jdbcUrl(DB), cluster, 1);
		// Port 1, as elsewhere in these tests: nothing listens there, so every attempt is
		// refused.
		refused = pool("refused", "jdbc:postgresql://127.0.0.1:1/" + DB, cluster, 2);
	}

	private static HikariDataSource pool(String name, String url, EmbeddedPostgresCluster cluster, int size) {
		HikariConfig config = new HikariConfig();
		config.setPoolName(name);
		config.setJdbcUrl(url);
		config.setUsername(cluster.username());
		config.setPassword(cluster.password());
		config.setMinimumIdle(0);
		config.setMaximumPoolSize(size);
		config.setConnectionTimeout(250);
		config.setInitializationFailTimeout(-1);
		return new HikariDataSource(config);
	}

	@AfterAll
	static void close() {
		reachable.close();
		single.close();
		refused.close();
	}

	@Test
	void aConnectionGivenBackIntactBetweenFailuresRestartsTheCount() throws SQLException {
		ManagedPool up = TestPools.managed(reachable, PoolRole.PRIMARY, 0);
		ManagedPool down = TestPools.managed(refused, PoolRole.PRIMARY, 0);
		CircuitBreakerPrimaryGuard guard = new CircuitBreakerPrimaryGuard(up, 2, Duration.ofSeconds(30), new Waiters());

		failOnce(guard, down);
		borrowAndReturn(guard, up);
		failOnce(guard, down);
		assertThat(guard.state()).as("failure, success, failure").isEqualTo("CLOSED");
		borrowAndReturn(guard, up);
		borrowAndReturn(guard, up);
		failOnce(guard, down);
		assertThat(guard.state()).as("one failure after successes").isEqualTo("CLOSED");

		failOnce(guard, down);
		assertThat(guard.state()).as("two consecutive failures").isEqualTo("OPEN");
		// Open: refused at once, even for a pool that would answer.
		assertThatExceptionOfType(PrimaryUnavailableException.class).isThrownBy(() -> guard.borrow(up))
			.withMessageContaining("Pool 'reachable' circuit breaker is open")
			.satisfies((ex) -> assertThat(ex.getRetryAfter()).isGreaterThan(Duration.ofSeconds(25)));
	}

	@Test
	void refusedAttemptsAndBrokenConnectionsCountErrorsThatLeaveTheServerUpDoNot() {
		ManagedPool up = TestPools.managed(reachable, PoolRole.PRIMARY, 0);
		CircuitBreakerPrimaryGuard guard = new CircuitBreakerPrimaryGuard(up, 3, Duration.ofSeconds(30), new Waiters());
		for (int i = 0; i < 5; i++) {
			guard.connectFailed(new SQLException("password authentication failed", "28P01"));
			guard.connectFailed(new SQLException("too many connections", "53300"));
		}
		assertThat(guard.state()).as("refused for reasons other than a dead server").isEqualTo("CLOSED");
		guard.connectFailed(new SQLException("Connection refused", "08001"));
		guard.brokenInUse(new SQLException("terminating connection due to administrator command", "57P01"));
		assertThat(guard.state()).isEqualTo("CLOSED");
		guard.connectFailed(new SQLException("Connection refused", "08001"));
		assertThat(guard.state()).isEqualTo("OPEN");
	}

	@Test
	void whenItOpensAThreadWaitingForAPrimaryConnectionFailsAtOnce() throws Exception {
		ManagedPool busy = TestPools.managed(single, PoolRole.PRIMARY, 0);
		CircuitBreakerPrimaryGuard guard = new CircuitBreakerPrimaryGuard(busy, 2, Duration.ofSeconds(30),
				new Waiters());
		// A connection-timeout long enough that only a release can end the wait.
		single.setConnectionTimeout(30_000);
		try (Connection held = single.getConnection()) {
			CompletableFuture<Throwable> outcome = new CompletableFuture<>();
			Thread waiter = new Thread(() -> {
				try (Connection connection = guard.borrow(busy)) {
					outcome.complete(null);
				}
				catch (Throwable ex) {
					outcome.complete(ex);
				}
			});
			waiter.start();
			await().atMost(10, TimeUnit.SECONDS).until(() -> busy.snapshot().waiting() == 1);
			long start = System.nanoTime();
			guard.brokenInUse(new SQLException("An I/O error occurred while sending to the backend", "08006"));
			guard.connectFailed(new SQLException("Connection refused", "08001"));
			Throwable failure = outcome.get(5, TimeUnit.SECONDS);
			assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
			assertThat(failure).isInstanceOf(PrimaryUnavailableException.class);
			assertThat(((PrimaryUnavailableException) failure).getRetryAfter()).isGreaterThan(Duration.ofSeconds(25));
		}
		finally {
			single.setConnectionTimeout(250);
		}
	}

	@Test
	void afterTheOpenPeriodOneProbeTheServerAnswersClosesIt() throws SQLException {
		ManagedPool up = TestPools.managed(reachable, PoolRole.PRIMARY, 0);
		CircuitBreakerPrimaryGuard guard = new CircuitBreakerPrimaryGuard(up, 1, Duration.ofMillis(300), new Waiters());
		guard.connectFailed(new SQLException("Connection refused", "08001"));
		assertThat(guard.state()).isEqualTo("OPEN");
		await().atMost(5, TimeUnit.SECONDS).until(() -> guard.remainingOpen().isZero());
		try (Connection probe = guard.borrow(up)) {
			assertThat(probe.isValid(1)).isTrue();
		}
		assertThat(guard.state()).isEqualTo("CLOSED");
	}

	private static void failOnce(CircuitBreakerPrimaryGuard guard, ManagedPool down) {
		// HikariCP's acquisition timeout, caused by the refused attempts behind it.
		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> guard.borrow(down))
			.satisfies((ex) -> assertThat(ex.getSQLState()).startsWith("08"));
	}

	private static void borrowAndReturn(CircuitBreakerPrimaryGuard guard, ManagedPool up) throws SQLException {
		try (Connection connection = guard.borrow(up)) {
			assertThat(connection.isValid(1)).isTrue();
		}
		guard.returned();
	}

}
