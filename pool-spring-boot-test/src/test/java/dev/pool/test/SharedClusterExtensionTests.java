package dev.pool.test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(EmbeddedPostgresExtension.class)
class SharedClusterExtensionTests {

	@Test
	void injectsTheOneSharedClusterWithTwoReplicas(EmbeddedPostgresCluster cluster) {
		assertThat(cluster).isSameAs(SharedEmbeddedPostgres.cluster());
		assertThat(cluster.replicas()).hasSize(2);
		assertThat(cluster.replicas()).allMatch(PostgresNode::isRunning);
	}

	@Test
	void propertiesPointAtTheDatabaseOnEveryNode(EmbeddedPostgresCluster cluster) throws Exception {
		SharedEmbeddedPostgres.withDatabase("props_db");
		Map<String, String> properties = EmbeddedPostgresProperties.of(cluster, "props_db");
		assertThat(properties).containsEntry("app.datasource.primary.url", cluster.primary().jdbcUrl("props_db"))
			.containsEntry("app.datasource.primary.username", "postgres")
			.containsEntry("app.datasource.replicas.replica-1.url", cluster.replica(1).jdbcUrl("props_db"))
			.containsEntry("app.datasource.replicas.replica-2.url", cluster.replica(2).jdbcUrl("props_db"));
		try (Connection connection = java.sql.DriverManager
			.getConnection(properties.get("app.datasource.replicas.replica-2.url"), "postgres", cluster.password());
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT current_database(), pg_is_in_recovery()")) {
			rs.next();
			assertThat(rs.getString(1)).isEqualTo("props_db");
			assertThat(rs.getBoolean(2)).isTrue();
		}
	}

	@Test
	void passwordIsRequiredOverTcp(EmbeddedPostgresCluster cluster) {
		org.assertj.core.api.Assertions.assertThatThrownBy(
				() -> java.sql.DriverManager.getConnection(cluster.primary().jdbcUrl("postgres"), "postgres", "wrong"))
			.hasMessageContaining("password authentication failed");
	}

}
