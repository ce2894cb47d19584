package dev.pool.it;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import dev.pool.test.EmbeddedMariaDbCluster;
import org.junit.jupiter.api.AfterAll;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The exhaustion suite on a real MariaDB primary (Debian's {@code mariadb-server}).
 */
class MariaDbExhaustionTests extends AbstractExhaustionTests {

	private static final String DB = "exhaustion_test";

	private static EmbeddedMariaDbCluster cluster;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		cluster = EmbeddedMariaDbCluster.start(0);
		cluster.createDatabase(DB);
		try (Connection connection = cluster.primary().connect(DB);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE test_writes (id BIGINT PRIMARY KEY, port INT)");
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
		registry.add("app.datasource.primary.url", () -> cluster.primary().jdbcUrl(DB));
		registry.add("app.datasource.primary.username", () -> EmbeddedMariaDbCluster.USERNAME);
		registry.add("app.datasource.primary.password", () -> EmbeddedMariaDbCluster.PASSWORD);
		registry.add("app.datasource.primary.maximum-pool-size", () -> "2");
		registry.add("app.datasource.primary.connection-timeout", () -> "1s");
		registry.add("app.datasource.exhaustion.retry-after", () -> "3s");
		registry.add("management.endpoints.web.exposure.include", () -> "metrics");
		// Flyway is on this module's test class path without its MariaDB module.
		registry.add("spring.flyway.enabled", () -> "false");
		registry.add("test.node-sql", () -> "SELECT CONCAT(IF(@@read_only, 'true', 'false'), ':', @@port)");
		registry.add("test.sleep-sql", () -> "SELECT SLEEP(?)");
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	// "pool": no 503 may carry the word either.
	@Override
	String password() {
		return EmbeddedMariaDbCluster.PASSWORD;
	}

	// Deadlock (1213) and a statement interrupted by max_statement_time (1969).
	@Override
	String[] deadlockAndQueryTimeout() {
		return new String[] { "40001", "70100" };
	}

}
