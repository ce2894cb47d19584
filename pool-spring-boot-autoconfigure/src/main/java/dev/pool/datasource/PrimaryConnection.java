package dev.pool.datasource;

/**
 * Where the primary's connection settings came from, once resolved from {@code app.datasource},
 * a {@code JdbcConnectionDetails} bean or {@code spring.datasource}.
 *
 * @param url the JDBC URL
 * @param username the login user, may be {@code null}
 * @param password the login password, may be {@code null}
 * @param driverClassName the driver class, may be {@code null} to derive it from the URL
 * @param source a description of where the settings came from, for messages
 */
public record PrimaryConnection(String url, String username, String password, String driverClassName,
		String source) {

	@Override
	public String toString() {
		// Never print the password.
		return "PrimaryConnection[url=" + this.url + ", username=" + this.username + ", source=" + this.source + "]";
	}

}
