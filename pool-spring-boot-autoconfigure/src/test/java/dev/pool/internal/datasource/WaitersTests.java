package dev.pool.internal.datasource;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.SharedEmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link Waiters}: a thread queued for a connection of an exhausted pool (one
 * connection, held by the test) is let go at once by a release of its pool, and goes on
 * without the interrupt; nothing else is touched.
 */
class WaitersTests {

	private static final String DB = "waiters";

	private static HikariDataSource pool;

	@BeforeAll
	static void start() {
		EmbeddedPostgresCluster cluster = SharedEmbeddedPostgres.withDatabase(DB);
		HikariConfig config = new HikariConfig();
		config.setPoolName("single");
		config.setJdbcUrl(cluster.primary().jdbcUrl(DB));
		config.setUsername(cluster.username());
		config.setPassword(cluster.password());
		config.setMaximumPoolSize(1);
		config.setConnectionTimeout(30_000);
		pool = new HikariDataSource(config);
	}

	@AfterAll
	static void stop() {
		pool.close();
	}

	@Test
	void aWaitingThreadIsReleasedAtOnceAndGoesOnWithoutTheInterrupt() throws Exception {
		Waiters waiters = new Waiters();
		ManagedPool managed = TestPools.managed(pool, PoolRole.PRIMARY, 0);
		try (Connection held = pool.getConnection()) {
			AtomicBoolean interruptedAfter = new AtomicBoolean(true);
			CompletableFuture<Throwable> outcome = waitIn(waiters, managed, 0, interruptedAfter);
			await().atMost(10, TimeUnit.SECONDS).until(() -> managed.snapshot().waiting() == 1);
			long start = System.nanoTime();
			assertThat(waiters.release(managed, 0)).isEqualTo(1);
			Throwable failure = outcome.get(5, TimeUnit.SECONDS);
			long millis = (System.nanoTime() - start) / 1_000_000;
			assertThat(failure).isInstanceOf(WaitReleasedException.class)
				.hasMessageContaining("pool 'single'")
				.satisfies((ex) -> assertThat(((SQLException) ex).getSQLState()).isEqualTo("08006"));
			assertThat(interruptedAfter).as("interrupt flag after the release").isFalse();
			// Against a connection-timeout of 30 s.
			assertThat(millis).isLessThan(2_000);
		}
	}

	@Test
	void aReleaseEndsOnlyTheWaitsOfItsPoolUpToItsEpoch() throws Exception {
		Waiters waiters = new Waiters();
		ManagedPool managed = TestPools.managed(pool, PoolRole.PRIMARY, 0);
		ManagedPool other = TestPools.managed(pool, PoolRole.REPLICA, 1);
		try (Connection held = pool.getConnection()) {
			AtomicBoolean interruptedAfter = new AtomicBoolean(true);
			CompletableFuture<Throwable> outcome = waitIn(waiters, managed, 2, interruptedAfter);
			await().atMost(10, TimeUnit.SECONDS).until(() -> managed.snapshot().waiting() == 1);
			assertThat(waiters.release(managed, 1)).as("an earlier epoch").isZero();
			assertThat(waiters.release(other, Long.MAX_VALUE)).as("another pool").isZero();
			assertThat(outcome).isNotDone();
			assertThat(waiters.release(managed, 2)).isEqualTo(1);
			assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(WaitReleasedException.class);
		}
	}

	@Test
	void aThreadThatIsNotWaitingIsNeverInterrupted() throws SQLException {
		Waiters waiters = new Waiters();
		ManagedPool managed = TestPools.managed(pool, PoolRole.PRIMARY, 0);
		try (Connection connection = waiters.borrow(managed, 0)) {
			assertThat(connection.isValid(1)).isTrue();
			assertThat(waiters.release(managed, Long.MAX_VALUE)).as("borrowed, no longer waiting").isZero();
		}
		assertThat(waiters.release(managed, Long.MAX_VALUE)).isZero();
		assertThat(Thread.currentThread().isInterrupted()).isFalse();
	}

	private static CompletableFuture<Throwable> waitIn(Waiters waiters, ManagedPool managed, long epoch,
			AtomicBoolean interruptedAfter) {
		CompletableFuture<Throwable> outcome = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try (Connection connection = waiters.borrow(managed, epoch)) {
				outcome.complete(null);
			}
			catch (Throwable ex) {
				interruptedAfter.set(Thread.currentThread().isInterrupted());
				outcome.complete(ex);
			}
		}, "waiter");
		thread.setDaemon(true);
		thread.start();
		return outcome;
	}

}
