package dev.pool.internal.breaker;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.pool.PrimaryUnavailableException;
import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.datasource.PoolRole;
import dev.pool.internal.datasource.TestPools;
import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.SharedEmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link CircuitBreakerPrimaryGuard}: it counts consecutive connection failures
 * only, and a success in between starts the count again. One guard borrows from a pool on
 * the real primary and from a pool on port 1, where nothing listens (connection refused,
 * SQLState 08001).
 */
class CircuitBreakerPrimaryGuardTests {

	private static final String DB = "breaker";

	private static HikariDataSource reachable;

	private static HikariDataSource refused;

	@BeforeAll
	static void pools() {
		EmbeddedPostgresCluster cluster = SharedEmbeddedPostgres.withDatabase(DB);
		reachable = pool("reachable", cluster.primary().jdbcUrl(DB), cluster);
		// Port 1, as elsewhere in these tests: nothing listens there, so every attempt is
		// refused.
		refused = pool("refused", "jdbc:postgresql://127.0.0.1:1/" + DB, cluster);
	}

	private static HikariDataSource pool(String name, String url, EmbeddedPostgresCluster cluster) {
		HikariConfig config = new HikariConfig();
		config.setPoolName(name);
		config.setJdbcUrl(url);
		config.setUsername(cluster.username());
		config.setPassword(cluster.password());
		config.setMinimumIdle(0);
		config.setMaximumPoolSize(2);
		config.setConnectionTimeout(250);
		config.setInitializationFailTimeout(-1);
		return new HikariDataSource(config);
	}

	@AfterAll
	static void close() {
		reachable.close();
		refused.close();
	}

	@Test
	void aSuccessBetweenFailuresRestartsTheCountAndTheBreakerOpensOnlyOnConsecutiveOnes() throws SQLException {
		CircuitBreakerPrimaryGuard guard = new CircuitBreakerPrimaryGuard("primary", 2, Duration.ofSeconds(30));
		ManagedPool up = TestPools.managed(reachable, PoolRole.PRIMARY, 0);
		ManagedPool down = TestPools.managed(refused, PoolRole.PRIMARY, 0);

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
			.withMessageContaining("Pool 'primary' circuit breaker is open");
	}

	private static void failOnce(CircuitBreakerPrimaryGuard guard, ManagedPool down) {
		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> guard.borrow(down))
			.satisfies((ex) -> assertThat(ex.getSQLState()).startsWith("08"));
	}

	private static void borrowAndReturn(CircuitBreakerPrimaryGuard guard, ManagedPool up) throws SQLException {
		try (Connection connection = guard.borrow(up)) {
			assertThat(connection.isValid(1)).isTrue();
		}
	}

}
