package dev.pool.testcontainers;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.pool.ReplicaConnectionDetails;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;

/**
 * The replicas' half of {@code @ServiceConnection} on a
 * {@link MariaDbReplicaSetContainer}; Spring Boot's own JDBC factory supplies the
 * primary. Only where Testcontainers' MariaDB module is on the class path.
 */
class MariaDbReplicaSetConnectionDetailsFactory
		extends ContainerConnectionDetailsFactory<MariaDbReplicaSetContainer, ReplicaConnectionDetails> {

	MariaDbReplicaSetConnectionDetailsFactory() {
		super(ANY_CONNECTION_NAME, "org.testcontainers.mariadb.MariaDBContainer");
	}

	@Override
	protected ReplicaConnectionDetails getContainerConnectionDetails(
			ContainerConnectionSource<MariaDbReplicaSetContainer> source) {
		return new ReplicaSetConnectionDetails(source);
	}

	private static final class ReplicaSetConnectionDetails
			extends ContainerConnectionDetails<MariaDbReplicaSetContainer> implements ReplicaConnectionDetails {

		ReplicaSetConnectionDetails(ContainerConnectionSource<MariaDbReplicaSetContainer> source) {
			super(source);
		}

		@Override
		public Map<String, JdbcConnectionDetails> getReplicas() {
			MariaDbReplicaSetContainer cluster = getContainer();
			Map<String, JdbcConnectionDetails> replicas = new LinkedHashMap<>();
			for (MariaDbReplicaContainer replica : cluster.getReplicas()) {
				replicas.putAll(ReplicaConnectionDetails
					.of(replica.getName(), replica.getJdbcUrl(), cluster.getUsername(), cluster.getPassword())
					.getReplicas());
			}
			return replicas;
		}

	}

}
