package dev.pool.internal.topology;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * The {@code primaryDataSource} bean when a topology source names the primary: every call
 * goes to the pool that is the primary now (migrations, code that must write there), so
 * the bean stays right across a failover. It does not unwrap to that pool: a meter bound
 * to one pool would describe the old primary after a failover.
 */
final class CurrentPrimaryDataSource implements DataSource {

	private final LiveTopology topology;

	CurrentPrimaryDataSource(LiveTopology topology) {
		this.topology = topology;
	}

	private DataSource current() {
		return this.topology.current().primary().pool().dataSource();
	}

	@Override
	public Connection getConnection() throws SQLException {
		return current().getConnection();
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return current().getConnection(username, password);
	}

	@Override
	public PrintWriter getLogWriter() throws SQLException {
		return current().getLogWriter();
	}

	@Override
	public void setLogWriter(PrintWriter out) throws SQLException {
		current().setLogWriter(out);
	}

	@Override
	public void setLoginTimeout(int seconds) throws SQLException {
		current().setLoginTimeout(seconds);
	}

	@Override
	public int getLoginTimeout() throws SQLException {
		return current().getLoginTimeout();
	}

	@Override
	public Logger getParentLogger() throws SQLFeatureNotSupportedException {
		throw new SQLFeatureNotSupportedException();
	}

	@Override
	public <T> T unwrap(Class<T> iface) throws SQLException {
		if (iface.isInstance(this)) {
			return iface.cast(this);
		}
		throw new SQLException("The current primary's DataSource does not wrap " + iface.getName());
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) {
		return iface.isInstance(this);
	}

	@Override
	public String toString() {
		return "CurrentPrimaryDataSource[" + this.topology.current().primary().pool() + "]";
	}

}
