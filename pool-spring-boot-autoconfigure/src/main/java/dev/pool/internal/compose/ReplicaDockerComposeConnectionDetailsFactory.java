package dev.pool.internal.compose;

import java.util.List;
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
 * name. Credentials and database come from the service's environment under the keys
 * Spring Boot reads for a PostgreSQL primary (the official image's {@code POSTGRES_*} and
 * Bitnami's {@code POSTGRESQL_*}); a replica without a user or password inherits the
 * primary's, as any replica setting does. The
 * {@code org.springframework.boot.jdbc.parameters} label is appended to the URL, as Boot
 * does for the primary.
 */
class ReplicaDockerComposeConnectionDetailsFactory
		extends DockerComposeConnectionDetailsFactory<ReplicaConnectionDetails> {

	/** The connection name that marks a replica service. */
	static final String CONNECTION_NAME = "pool-replica";

	/** The label that names the replica; the service name otherwise. */
	static final String NAME_LABEL = "dev.pool.replica";

	private static final int POSTGRES_PORT = 5432;

	// The keys Spring Boot's PostgreSQL support reads, first match wins.
	private static final List<String> USERNAME_KEYS = List.of("POSTGRES_USER", "POSTGRESQL_USER",
			"POSTGRESQL_USERNAME");

	private static final List<String> PASSWORD_KEYS = List.of("POSTGRES_PASSWORD", "POSTGRESQL_PASSWORD");

	private static final List<String> DATABASE_KEYS = List.of("POSTGRES_DB", "POSTGRESQL_DB", "POSTGRESQL_DATABASE");

	/** Boot's label for JDBC URL parameters of a Compose service. */
	static final String PARAMETERS_LABEL = "org.springframework.boot.jdbc.parameters";

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
			String username = first(env, USERNAME_KEYS);
			String database = first(env, DATABASE_KEYS);
			if (database == null) {
				// Boot's rule: the database is named after the user.
				database = (username != null) ? username : "postgres";
			}
			StringBuilder url = new StringBuilder("jdbc:postgresql://").append(service.host())
				.append(':')
				.append(service.ports().get(POSTGRES_PORT))
				.append('/')
				.append(database);
			String parameters = service.labels().get(PARAMETERS_LABEL);
			if (parameters != null && !parameters.isBlank()) {
				url.append('?').append(parameters);
			}
			this.replicas = ReplicaConnectionDetails.of(name, url.toString(), username, first(env, PASSWORD_KEYS))
				.getReplicas();
		}

		@Override
		public Map<String, JdbcConnectionDetails> getReplicas() {
			return this.replicas;
		}

		private static @Nullable String first(Map<String, @Nullable String> env, List<String> keys) {
			for (String key : keys) {
				String value = env.get(key);
				if (value != null) {
					return value;
				}
			}
			return null;
		}

	}

}
