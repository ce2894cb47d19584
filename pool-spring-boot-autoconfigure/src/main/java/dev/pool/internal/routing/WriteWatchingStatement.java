package dev.pool.internal.routing;

import java.sql.Connection;
import java.sql.Statement;

/**
 * A statement created without its SQL on the primary outside a transaction, while
 * read-your-writes is on: it tells its connection each statement it runs, so only one
 * that may change data costs the position query at close ({@code JdbcTemplate} runs every
 * query without parameters this way).
 */
final class WriteWatchingStatement extends ForwardingStatement {

	private final RoutingConnection connection;

	WriteWatchingStatement(Statement delegate, RoutingConnection connection) {
		super(delegate);
		this.connection = connection;
	}

	@Override
	void beforeExecute(String sql) {
		this.connection.running(sql);
	}

	// The connection that made the statement, as JDBC requires: not the pool's.
	@Override
	public Connection getConnection() {
		return this.connection;
	}

}
