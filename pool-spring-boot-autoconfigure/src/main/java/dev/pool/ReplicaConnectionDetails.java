package dev.pool;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.util.Assert;

/**
 * Connection details for named read replicas: to {@code app.datasource.replicas} what
 * {@link JdbcConnectionDetails} is to the primary, and what {@code @ServiceConnection}
 * and Docker Compose create for replicas.
 * <p>
 * As in Spring Boot, connection details win over properties: a replica named here takes
 * its URL and credentials from these details even when
 * {@code app.datasource.replicas.<name>.url} is set, and keeps its pool settings from the
 * properties. A replica named only here gets a pool like one configured by URL alone. A
 * {@code null} username or password means the primary's. Several beans may each name
 * replicas; one name in two beans fails at startup.
 */
public interface ReplicaConnectionDetails extends ConnectionDetails {

	/**
	 * The replicas, by the name they have under {@code app.datasource.replicas}, in the
	 * order they should be listed.
	 * @return each replica's name and connection details
	 */
	Map<String, JdbcConnectionDetails> getReplicas();

	/**
	 * Details for a single named replica.
	 * @param name the replica's name, as under {@code app.datasource.replicas}
	 * @param replica its JDBC URL and credentials
	 * @return the connection details
	 */
	static ReplicaConnectionDetails of(String name, JdbcConnectionDetails replica) {
		Assert.hasText(name, "'name' must not be empty");
		Assert.notNull(replica, "'replica' must not be null");
		Map<String, JdbcConnectionDetails> replicas = Map.of(name, replica);
		return () -> replicas;
	}

	/**
	 * Details for a single named replica, from its URL and credentials.
	 * @param name the replica's name, as under {@code app.datasource.replicas}
	 * @param jdbcUrl the replica's JDBC URL
	 * @param username the user, or {@code null} for the primary's
	 * @param password the password, or {@code null} for the primary's
	 * @return the connection details
	 */
	static ReplicaConnectionDetails of(String name, String jdbcUrl, @Nullable String username,
			@Nullable String password) {
		Assert.hasText(jdbcUrl, "'jdbcUrl' must not be empty");
		return of(name, new ReplicaJdbcConnectionDetails(jdbcUrl, username, password));
	}

}
