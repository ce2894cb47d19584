package dev.pool.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * Where the primary's connection settings came from, once resolved.
 *
 * @param url the JDBC URL
 * @param username the login user
 * @param password the login password
 * @param driverClassName the driver class, {@code null} to derive it from the URL
 * @param source a description of where the settings came from, for messages
 * @param embedded whether this is the embedded database Boot would have created (no URL
 * configured anywhere)
 * @param generatedName whether that embedded database has a generated unique name, so
 * nothing outside this application can be using it
 */
record PrimaryConnection(String url, @Nullable String username, @Nullable String password,
		@Nullable String driverClassName, String source, boolean embedded, boolean generatedName) {

	PrimaryConnection(String url, @Nullable String username, @Nullable String password,
			@Nullable String driverClassName, String source) {
		this(url, username, password, driverClassName, source, false, false);
	}

	/**
	 * Whether a {@code JdbcConnectionDetails} bean gave the settings; its login then wins
	 * over {@code username-file} and {@code password-file}, as over the properties.
	 * @return true for connection details
	 */
	boolean fromConnectionDetails() {
		return this.source.startsWith(PrimaryConnectionResolver.DETAILS_SOURCE);
	}

	@Override
	public String toString() {
		// Never print the password.
		return "PrimaryConnection[url=" + this.url + ", username=" + this.username + ", source=" + this.source + "]";
	}

}
