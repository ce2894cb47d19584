package dev.pool.internal.datasource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import dev.pool.internal.credentials.LiveCredentials;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The data source a pool opens its physical connections with: the driver, as HikariCP
 * would call it for a JDBC URL, reporting every attempt, so a refused attempt counts the
 * moment it happens, including the pool's own attempts to refill itself that no request
 * waits on, and telling the pool's credentials which login each connection used. A
 * primary pool whose URL names several MariaDB servers takes only a writable one: that
 * driver connects to the first server that answers, a read-only replica included, where
 * PostgreSQL's {@code targetServerType=primary} refuses a standby; a refused one counts
 * as a failed attempt, so the primary's breaker sees the outage and a promotion alike.
 * Everything else is the driver's ({@link DelegatingDataSource}).
 */
final class ObservedDataSource extends DelegatingDataSource {

	private final PoolEvents events;

	private final LiveCredentials credentials;

	private final @Nullable String writableOnly;

	/**
	 * Creates the data source.
	 * @param driver the driver's data source
	 * @param events where attempts are reported
	 * @param credentials the pool's live login
	 * @param writableOnly the pool's name when a connection to a read-only server must be
	 * refused, {@code null} otherwise
	 */
	ObservedDataSource(DataSource driver, PoolEvents events, LiveCredentials credentials,
			@Nullable String writableOnly) {
		super(driver);
		this.events = events;
		this.credentials = credentials;
		this.writableOnly = writableOnly;
	}

	@Override
	public Connection getConnection() throws SQLException {
		return connect(null, null);
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return connect(username, password);
	}

	private Connection connect(@Nullable String username, @Nullable String password) throws SQLException {
		Connection connection;
		try {
			connection = (username != null) ? super.getConnection(username, password) : super.getConnection();
			if (this.writableOnly != null) {
				refuseReadOnly(connection, this.writableOnly);
			}
		}
		catch (SQLException ex) {
			this.events.connectFailed(ex);
			throw ex;
		}
		this.events.connected();
		this.credentials.opened(connection, username, password);
		return connection;
	}

	// One question per new connection, never per borrow.
	private static void refuseReadOnly(Connection connection, String pool) throws SQLException {
		boolean readOnly;
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT @@global.read_only")) {
			readOnly = rs.next() && ReadOnlySetting.isOn(rs.getString(1));
		}
		catch (SQLException ex) {
			connection.close();
			throw ex;
		}
		if (readOnly) {
			connection.close();
			throw new SQLException("Pool '" + pool + "' reached a read-only server (@@read_only on): none of its "
					+ "URL's servers is a primary now", "08001");
		}
	}

}
