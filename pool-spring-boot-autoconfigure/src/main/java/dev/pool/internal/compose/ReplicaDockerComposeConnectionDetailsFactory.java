package dev.pool.internal.compose;

import java.util.Map;

import dev.pool.ReplicaConnectionDetails;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionDetailsFactory;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionSource;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/**
 * Turns each Docker Compose service labelled
 * {@code org.springframework.boot.service-connection: pool-replica} into a named replica.
 * The label keeps Spring Boot's PostgreSQL support from taking the service for a second
 * primary; the replica's name is its {@code dev.pool.replica} label, else the service
 * name. Credentials and database come from the service's {@code POSTGRES_*} environment,
 * as Spring Boot reads them for the primary; without them the primary's apply.
 */
class ReplicaDockerComposeConnectionDetailsFactory
		extends DockerComposeConnectionDetailsFactory<ReplicaConnectionDetails> {

	/** The connection name that marks a replica service. */
	static final String CONNECTION_NAME = "pool-replica";

	/** The label that names the replica; the service name otherwise. */
	static final String NAME_LABEL = "dev.pool.replica";

	private static final int POSTGRES_PORT = 5432;

	ReplicaDockerComposeConnectionDetailsFactory() {
		super(CONNECTION_NAME);
	}

	@Override
	protected ReplicaConnectionDetails getDockerComposeConnectionDetails(DockerComposeConnectionSource source) {
		return new ReplicaServiceConnectionDetails(source.getRunningService());
	}

	private static final class ReplicaServiceConnectionDetails extends DockerComposeConnectionDetails
			implements ReplicaConnectionDetails {

		private final Map<String, JdbcConnectionDetails> replicas;

		ReplicaServiceConnectionDetails(RunningService service) {
			super(service);
			Map<String, @Nullable String> env = service.env();
			String name = service.labels().getOrDefault(NAME_LABEL, service.name());
			String username = env.get("POSTGRES_USER");
			String database = firstNonNull(env.get("POSTGRES_DB"), username, "postgres");
			String url = "jdbc:postgresql://" + service.host() + ":" + service.ports().get(POSTGRES_PORT) + "/"
					+ database;
			this.replicas = ReplicaConnectionDetails.of(name, url, username, env.get("POSTGRES_PASSWORD"))
				.getReplicas();
		}

		@Override
		public Map<String, JdbcConnectionDetails> getReplicas() {
			return this.replicas;
		}

		private static String firstNonNull(@Nullable String first, @Nullable String second, String fallback) {
			return (first != null) ? first : (second != null) ? second : fallback;
		}

	}

}
