package dev.pool.testcontainers;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.pool.ReplicaConnectionDetails;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;

/**
 * The replicas' half of {@code @ServiceConnection} on a
 * {@link PostgresReplicaSetContainer}; Spring Boot's own JDBC factory supplies the
 * primary, as for any database container.
 */
class PostgresReplicaSetConnectionDetailsFactory
		extends ContainerConnectionDetailsFactory<PostgresReplicaSetContainer, ReplicaConnectionDetails> {

	@Override
	protected ReplicaConnectionDetails getContainerConnectionDetails(
			ContainerConnectionSource<PostgresReplicaSetContainer> source) {
		return new ReplicaSetConnectionDetails(source);
	}

	private static final class ReplicaSetConnectionDetails
			extends ContainerConnectionDetails<PostgresReplicaSetContainer> implements ReplicaConnectionDetails {

		ReplicaSetConnectionDetails(ContainerConnectionSource<PostgresReplicaSetContainer> source) {
			super(source);
		}

		@Override
		public Map<String, JdbcConnectionDetails> getReplicas() {
			PostgresReplicaSetContainer cluster = getContainer();
			Map<String, JdbcConnectionDetails> replicas = new LinkedHashMap<>();
			for (PostgresReplicaContainer replica : cluster.getReplicas()) {
				replicas.put(replica.getName(), new ReplicaJdbcConnectionDetails(replica.getJdbcUrl(),
						cluster.getUsername(), cluster.getPassword()));
			}
			return replicas;
		}

	}

	// Not a record: its toString would print the password.
	private static final class ReplicaJdbcConnectionDetails implements JdbcConnectionDetails {

		private final String jdbcUrl;

		private final String username;

		private final String password;

		ReplicaJdbcConnectionDetails(String jdbcUrl, String username, String password) {
			this.jdbcUrl = jdbcUrl;
			this.username = username;
			this.password = password;
		}

		@Override
		public String getJdbcUrl() {
			return this.jdbcUrl;
		}

		@Override
		public String getUsername() {
			return this.username;
		}

		@Override
		public String getPassword() {
			return this.password;
		}

		@Override
		public String toString() {
			return this.jdbcUrl;
		}

	}

}
