package dev.pool.internal.failure;

import java.net.ConnectException;
import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;

import dev.pool.ConnectionUnavailableException;
import org.jspecify.annotations.Nullable;

/**
 * Tells a failure to reach or keep a database connection from an error in the SQL itself,
 * by exception type and SQLState along the cause chain, never by message text.
 */
public final class ConnectionFailures {

	private ConnectionFailures() {
	}

	/**
	 * Whether the throwable, or any of its causes, says a database connection could not
	 * be opened or was lost: SQLState class 08 (connection exception), 57P01-57P03
	 * (server shutting down or starting), a recoverable or non-transient connection
	 * exception, or a socket failure beneath an {@link SQLException} (a socket failure
	 * alone may be any other service's). The starter's own refusals (draining, circuit
	 * open) are not connection failures.
	 * @param throwable the failure to classify
	 * @return whether it means the connection could not be opened or was lost
	 */
	public static boolean isConnectionFailure(Throwable throwable) {
		boolean database = false;
		for (Throwable current = throwable; current != null; current = next(current)) {
			if (current instanceof ConnectionUnavailableException) {
				return false;
			}
			if (current instanceof SQLException sql) {
				// MySQL and MariaDB send "too many connections" as a connection exception
				// (08004): the server answered, it is no outage.
				if (refusedByLimit(sql)) {
					return false;
				}
				String state = sql.getSQLState();
				// 25S03: MariaDB Connector/J lost the server of a multi-host URL and
				// reconnected to the next one without running the statement; that next
				// server may be a read-only replica, so the connection is as good as
				// lost.
				if (state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
						|| state.equals("57P03") || state.equals("25S03"))) {
					return true;
				}
				if (sql instanceof SQLNonTransientConnectionException || sql instanceof SQLRecoverableException) {
					return true;
				}
				database = true;
			}
			if (database && (current instanceof ConnectException || current instanceof SocketException)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether the server refused a connection because it has too many: PostgreSQL's
	 * {@code 53300 too_many_connections} (also a role's or database's connection limit)
	 * or a configured limit ({@code 53400}); MySQL's and MariaDB's errors 1040 (too many
	 * connections), 1203 and 1226 (a user's connection limits). The server is there and
	 * answers, so it is neither a connection failure nor an outage.
	 * @param throwable the failure
	 * @return whether the failure, or a cause of it, is one of those
	 */
	public static boolean isTooManyConnections(Throwable throwable) {
		for (Throwable current = throwable; current != null; current = next(current)) {
			if (current instanceof SQLException sql && refusedByLimit(sql)) {
				return true;
			}
		}
		return false;
	}

	private static boolean refusedByLimit(SQLException sql) {
		String state = sql.getSQLState();
		if ("53300".equals(state) || "53400".equals(state)) {
			return true;
		}
		// Vendor codes, taken only with the SQLStates MySQL and MariaDB send them with,
		// so another driver's 1040 is not mistaken for one.
		int code = sql.getErrorCode();
		return (code == 1040 && ("08004".equals(state) || "HY000".equals(state)))
				|| ((code == 1203 || code == 1226) && "42000".equals(state));
	}

	/**
	 * Whether the server refused a login it does not accept (SQLState class 28: a wrong
	 * password, an unknown or dropped role, as while credentials rotate): the server is
	 * there and answers, and connections already open keep working.
	 * @param throwable the failure
	 * @return whether the failure, or a cause of it, has a class 28 SQLState
	 */
	public static boolean isLoginRefused(Throwable throwable) {
		for (Throwable current = throwable; current != null; current = next(current)) {
			if (current instanceof SQLException sql && sql.getSQLState() != null
					&& sql.getSQLState().startsWith("28")) {
				return true;
			}
		}
		return false;
	}

	/**
	 * A failure in one line for logs and states: the type and message of the first cause
	 * along the chain that has a message.
	 * @param failure the failure
	 * @return for example {@code PSQLException: Connection to 127.0.0.1:5432 refused}
	 */
	public static String describe(Throwable failure) {
		Throwable root = failure;
		Throwable next;
		while (root.getMessage() == null && (next = next(root)) != null) {
			root = next;
		}
		String message = root.getMessage();
		return root.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
	}

	/**
	 * The first throwable of a type along the cause chain, the throwable itself included.
	 * @param <T> the type
	 * @param throwable the failure
	 * @param type what to look for
	 * @return the first match, or {@code null}
	 */
	public static <T extends Throwable> @Nullable T find(Throwable throwable, Class<T> type) {
		for (Throwable current = throwable; current != null; current = next(current)) {
			if (type.isInstance(current)) {
				return type.cast(current);
			}
		}
		return null;
	}

	// The one way along a cause chain: a throwable that is its own cause ends it.
	private static @Nullable Throwable next(Throwable current) {
		Throwable cause = current.getCause();
		return (cause != current) ? cause : null;
	}

}
