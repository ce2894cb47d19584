package dev.pool.internal.routing;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where the router's connections come from while a tenant is in scope: the SPI that the
 * tenant feature implements. Without tenancy the router holds {@link #NONE}, so a borrow
 * pays one inlined call and no check.
 */
public interface Tenancy {

	/** No tenancy: every connection is the router's own. */
	Tenancy NONE = Untenanted::get;

	/**
	 * A connection for the caller: the tenant's while one is in scope, else the router's.
	 * @param untenanted the router's own connection, asked only when no tenant is in
	 * scope
	 * @return a connection
	 * @throws SQLException when the tenant's pool gives none
	 */
	Connection connection(Untenanted untenanted) throws SQLException;

	/**
	 * The router's own (lazily routed) connection.
	 */
	@FunctionalInterface
	interface Untenanted {

		/**
		 * A new routed connection.
		 * @return the connection
		 * @throws SQLException never in practice: the pool is chosen at the first
		 * statement
		 */
		Connection get() throws SQLException;

	}

}
