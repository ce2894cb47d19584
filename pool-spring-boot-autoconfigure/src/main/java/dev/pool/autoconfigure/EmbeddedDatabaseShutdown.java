package dev.pool.autoconfigure;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Drops the in-memory embedded database the primary pool used once the pools are closed,
 * as DevTools does for Boot's own DataSource on a restart: without it each restart would
 * leave the previous in-memory database behind. Only for a database with a generated
 * unique name, which nothing outside this application can be using.
 */
final class EmbeddedDatabaseShutdown implements Runnable {

	private static final Log logger = LogFactory.getLog(EmbeddedDatabaseShutdown.class);

	private final PrimaryConnection connection;

	private EmbeddedDatabaseShutdown(PrimaryConnection connection) {
		this.connection = connection;
	}

	/**
	 * The shutdown for an embedded primary.
	 * @param connection the resolved primary
	 * @return the shutdown, or a no-op when the primary is not an in-memory database of
	 * its own
	 */
	static Runnable of(PrimaryConnection connection) {
		String url = connection.url();
		boolean inMemory = url.startsWith("jdbc:h2:mem:") || url.startsWith("jdbc:hsqldb:mem:");
		return (connection.embedded() && connection.generatedName() && inMemory)
				? new EmbeddedDatabaseShutdown(connection) : () -> {
				};
	}

	@Override
	public void run() {
		Properties credentials = new Properties();
		if (this.connection.username() != null) {
			credentials.setProperty("user", this.connection.username());
		}
		if (this.connection.password() != null) {
			credentials.setProperty("password", this.connection.password());
		}
		try (Connection connection = DriverManager.getConnection(this.connection.url(), credentials);
				Statement statement = connection.createStatement()) {
			statement.execute("SHUTDOWN");
		}
		catch (SQLException ex) {
			logger.debug("Could not shut the embedded database down: " + ex.getMessage());
		}
	}

}
