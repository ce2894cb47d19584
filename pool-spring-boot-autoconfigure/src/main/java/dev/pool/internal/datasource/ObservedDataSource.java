package dev.pool.internal.datasource;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.DataSource;

import dev.pool.internal.credentials.LiveCredentials;
import org.jspecify.annotations.Nullable;

/**
 * The data source a pool opens its physical connections with: the driver, as HikariCP
 * would call it for a JDBC URL, reporting every attempt, so a refused attempt counts the
 * moment it happens, including the pool's own attempts to refill itself that no request
 * waits on, and telling the pool's credentials which login each connection used.
 */
final class ObservedDataSource implements DataSource {

	private final DataSource driver;

	private final PoolEvents events;

	private final LiveCredentials credentials;

	ObservedDataSource(DataSource driver, PoolEvents events, LiveCredentials credentials) {
		this.driver = driver;
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
			connection = (username != null) ? this.driver.getConnection(username, password)
					: this.driver.getConnection();
		}
		catch (SQLException ex) {
			this.events.connectFailed(ex);
			throw ex;
		}
		this.events.connected();
		this.credentials.opened(connection, username, password);
		return connection;
	}

	@Override
	public PrintWriter getLogWriter() throws SQLException {
		return this.driver.getLogWriter();
	}

	@Override
	public void setLogWriter(PrintWriter out) throws SQLException {
		this.driver.setLogWriter(out);
	}

	@Override
	public void setLoginTimeout(int seconds) throws SQLException {
		this.driver.setLoginTimeout(seconds);
	}

	@Override
	public int getLoginTimeout() throws SQLException {
		return this.driver.getLoginTimeout();
	}

	@Override
	public Logger getParentLogger() throws SQLFeatureNotSupportedException {
		return this.driver.getParentLogger();
	}

	@Override
	public <T> T unwrap(Class<T> iface) throws SQLException {
		return iface.isInstance(this) ? iface.cast(this) : this.driver.unwrap(iface);
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) throws SQLException {
		return iface.isInstance(this) || this.driver.isWrapperFor(iface);
	}

}
