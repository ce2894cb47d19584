package dev.pool.autoconfigure;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.EmbeddedPostgresProperties;
import dev.pool.test.SharedEmbeddedPostgres;

import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The shared embedded cluster as the tests see it: one database per test class, small
 * pools, and a way to ask which node served a query.
 */
final class TestCluster {

	static final AutoConfigurations JDBC = AutoConfigurations.of(PoolAutoConfiguration.class,
			DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
			JdbcTemplateAutoConfiguration.class, TransactionAutoConfiguration.class, AopAutoConfiguration.class);

	static final String NODE_QUERY = "SELECT pg_is_in_recovery(), inet_server_port()";

	/**
	 * A primary and a replica nobody listens on (port 1), allowed to start unreachable
	 * and never filled: enough for condition and back-off tests, which then need no
	 * database.
	 */
	static final String[] OFFLINE = { "app.datasource.primary.url=jdbc:postgresql://127.0.0.1:1/offline",
			"app.datasource.primary.username=offline", "app.datasource.primary.initialization-fail-timeout=-1",
			"app.datasource.primary.minimum-idle=0",
			"app.datasource.replicas.replica-1.url=jdbc:postgresql://127.0.0.1:1/offline",
			"app.datasource.routing.health-check-interval=1h" };

	private TestCluster() {
	}

	static EmbeddedPostgresCluster cluster(String database) {
		return SharedEmbeddedPostgres.withDatabase(database);
	}

	/**
	 * app.datasource.* for the database on the primary and both replicas, with small
	 * pools.
	 */
	static String[] properties(String database, String... extra) {
		List<String> properties = new ArrayList<>();
		EmbeddedPostgresProperties.of(cluster(database), database)
			.forEach((name, value) -> properties.add(name + "=" + value));
		properties.add("app.datasource.primary.maximum-pool-size=4");
		properties.add("app.datasource.primary.minimum-idle=0");
		properties.add("app.datasource.primary.connection-timeout=5s");
		properties.addAll(List.of(extra));
		return properties.toArray(String[]::new);
	}

	/** The node that serves a query through this template. */
	static Node node(JdbcTemplate jdbc) {
		return jdbc.queryForObject(NODE_QUERY, (rs, i) -> new Node(rs.getBoolean(1), rs.getInt(2)));
	}

	/** The node behind a plain JDBC connection. */
	static Node node(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(NODE_QUERY)) {
			rs.next();
			return new Node(rs.getBoolean(1), rs.getInt(2));
		}
	}

	static Node node(DataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			return node(connection);
		}
	}

	static int primaryPort() {
		return SharedEmbeddedPostgres.cluster().primary().port();
	}

	static int replicaPort(int index) {
		return SharedEmbeddedPostgres.cluster().replica(index).port();
	}

	/** Which server answered: in recovery (a replica) or not, and its port. */
	record Node(boolean inRecovery, int port) {

		boolean isPrimary() {
			return !this.inRecovery && this.port == primaryPort();
		}

		boolean isReplica() {
			return this.inRecovery && (this.port == replicaPort(1) || this.port == replicaPort(2));
		}

	}

}
