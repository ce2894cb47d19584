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
				replicas.putAll(ReplicaConnectionDetails
					.of(replica.getName(), replica.getJdbcUrl(), cluster.getUsername(), cluster.getPassword())
					.getReplicas());
			}
			return replicas;
		}

	}

}
