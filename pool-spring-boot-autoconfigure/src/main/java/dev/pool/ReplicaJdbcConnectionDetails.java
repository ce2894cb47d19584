package dev.pool;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/**
 * A replica's URL and credentials as
 * {@link ReplicaConnectionDetails#of(String, String, String, String)} holds them. Not a
 * record: its toString would print the password.
 */
final class ReplicaJdbcConnectionDetails implements JdbcConnectionDetails {

	private final String jdbcUrl;

	private final @Nullable String username;

	private final @Nullable String password;

	ReplicaJdbcConnectionDetails(String jdbcUrl, @Nullable String username, @Nullable String password) {
		this.jdbcUrl = jdbcUrl;
		this.username = username;
		this.password = password;
	}

	@Override
	public String getJdbcUrl() {
		return this.jdbcUrl;
	}

	@Override
	public @Nullable String getUsername() {
		return this.username;
	}

	@Override
	public @Nullable String getPassword() {
		return this.password;
	}

	@Override
	public String toString() {
		return this.jdbcUrl;
	}

}
