package dev.pool.internal.datasource;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import dev.pool.internal.credentials.LiveCredentials;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The data source a pool opens its physical connections with: the driver, as HikariCP
 * would call it for a JDBC URL, reporting every attempt, so a refused attempt counts the
 * moment it happens, including the pool's own attempts to refill itself that no request
 * waits on, and telling the pool's credentials which login each connection used.
 * Everything else is the driver's ({@link DelegatingDataSource}).
 */
final class ObservedDataSource extends DelegatingDataSource {

	private final PoolEvents events;

	private final LiveCredentials credentials;

	ObservedDataSource(DataSource driver, PoolEvents events, LiveCredentials credentials) {
		super(driver);
		this.events = events;
		this.credentials = credentials;
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
		}
		catch (SQLException ex) {
			this.events.connectFailed(ex);
			throw ex;
		}
		this.events.connected();
		this.credentials.opened(connection, username, password);
		return connection;
	}

}
