package dev.pool.internal.breaker;

import java.sql.Connection;
import java.sql.SQLException;

import dev.pool.internal.datasource.ManagedPool;

/**
 * Borrows from the primary, possibly refusing at once (an open circuit breaker).
 */
@FunctionalInterface
public interface PrimaryGuard {

	/** No guard: borrow directly. */
	PrimaryGuard NONE = (primary) -> primary.dataSource().getConnection();

	/**
	 * Borrows a connection from the primary pool.
	 * @param primary the primary pool
	 * @return a connection
	 * @throws SQLException when the pool gives none, or the guard refuses at once
	 */
	Connection borrow(ManagedPool primary) throws SQLException;

}
