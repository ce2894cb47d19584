package dev.pool.consistency;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.EmbeddedPostgresProperties;
import dev.pool.test.PostgresNode;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A cluster of the read-your-writes tests' own: a primary and two replicas that apply WAL
 * {@value #DELAY_SECONDS} s late, as busy replicas do. The schema is replicated before
 * the delay.
 */
final class DelayedReplicas {

	static final int DELAY_SECONDS = 2;

	static final Duration DELAY = Duration.ofSeconds(DELAY_SECONDS);

	static final String DB = "ryw";

	private DelayedReplicas() {
	}

	static EmbeddedPostgresCluster cluster() {
		return Holder.CLUSTER;
	}

	static void register(DynamicPropertyRegistry registry) {
		EmbeddedPostgresProperties.register(registry, cluster(), DB);
		registry.add("app.datasource.primary.maximum-pool-size", () -> "4");
		registry.add("app.datasource.routing.health-check-interval", () -> "500ms");
		// A delayed replica stays in routing: read-your-writes alone decides.
		registry.add("app.datasource.routing.max-replica-lag", () -> "0");
		registry.add("app.datasource.drain.timeout", () -> "1s");
		registry.add("spring.jpa.open-in-view", () -> "false");
		// The schema is made before the replicas are delayed; Flyway is on this classpath
		// too.
		registry.add("spring.flyway.enabled", () -> "false");
		registry.add("management.endpoints.web.exposure.include", () -> "metrics,pools");
	}

	private static final class Holder {

		static final EmbeddedPostgresCluster CLUSTER = start();

		private static EmbeddedPostgresCluster start() {
			EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder().replicas(2).start();
			cluster.createDatabase(DB);
			try (Connection connection = cluster.primary().connect(DB);
					Statement statement = connection.createStatement()) {
				statement.execute("CREATE TABLE note (id bigserial PRIMARY KEY, text text NOT NULL)");
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
			cluster.awaitReplication();
			for (PostgresNode replica : cluster.replicas()) {
				replica.setReplayDelay(DELAY);
			}
			return cluster;
		}

	}

}
