package dev.pool.routing;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Borrows from the primary, possibly refusing at once (an open circuit breaker).
 */
@FunctionalInterface
public interface PrimaryGuard {

	/** No guard: borrow directly. */
	PrimaryGuard NONE = (primary) -> primary.dataSource().getConnection();

	/** Borrows a connection from the primary pool. */
	Connection borrow(RoutedPool primary) throws SQLException;

}
