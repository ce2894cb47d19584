package dev.pool.internal.failure;

import java.net.ConnectException;
import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

import dev.pool.DrainingException;
import dev.pool.PrimaryUnavailableException;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.web.client.ResourceAccessException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConnectionFailures}.
 */
class ConnectionFailuresTests {

	@Test
	void connectionClassSqlStatesAreConnectionFailures() {
		assertThat(ConnectionFailures.isConnectionFailure(new SQLException("refused", "08001"))).isTrue();
		assertThat(ConnectionFailures.isConnectionFailure(new SQLException("broken", "08006"))).isTrue();
	}

	@Test
	void serverShutdownAndStartupStatesAreConnectionFailures() {
		for (String state : new String[] { "57P01", "57P02", "57P03" }) {
			assertThat(ConnectionFailures.isConnectionFailure(new SQLException("admin shutdown", state))).as(state)
				.isTrue();
		}
	}

	@Test
	void mariaDbAndMySqlDriverFailuresAsTheyRaiseThem() {
		// MariaDB Connector/J 3.5, a multi-host URL whose server was killed: the
		// connection moved to the next server, the statement did not run (seen in
		// MariaDbPrimaryFailoverTests).
		assertThat(ConnectionFailures.isConnectionFailure(new SQLTransientConnectionException(
				"Driver has reconnect connection after a communications link failure with 127.0.0.1:40895", "25S03")))
			.isTrue();
		// MySQL Connector/J's CommunicationsException (a SQLRecoverableException).
		assertThat(ConnectionFailures.isConnectionFailure(new SQLRecoverableException(
				"Communications link failure\n\nThe last packet sent successfully to the server was 0 milliseconds ago.",
				"08S01", 0)))
			.isTrue();
		// Access denied (error 1045, both drivers): refused, not lost.
		SQLException denied = new SQLException("Access denied for user 'app'@'localhost' (using password: YES)",
				"28000", 1045);
		assertThat(ConnectionFailures.isLoginRefused(denied)).isTrue();
		// A write on a read-only server (error 1290): an SQL error, the connection is
		// fine.
		SQLException readOnly = new SQLException(
				"The MariaDB server is running with the --read-only option so it cannot execute this statement",
				"HY000", 1290);
		assertThat(ConnectionFailures.isConnectionFailure(readOnly)).isFalse();
		assertThat(ConnectionFailures.isLoginRefused(readOnly)).isFalse();
		assertThat(ConnectionFailures.isTooManyConnections(readOnly)).isFalse();
	}

	@Test
	void mySqlAndMariaDbRefusalsByConnectionLimitAreNotConnectionFailures() {
		// As MariaDB Connector/J reports them: a connection exception type and SQLState.
		SQLException tooMany = new SQLNonTransientConnectionException("Too many connections", "08004", 1040);
		assertThat(ConnectionFailures.isConnectionFailure(tooMany)).isFalse();
		assertThat(ConnectionFailures.isTooManyConnections(tooMany)).isTrue();
		SQLException userLimit = new SQLException("User has exceeded the 'max_user_connections' resource", "42000",
				1226);
		assertThat(ConnectionFailures.isTooManyConnections(userLimit)).isTrue();
		// Another driver's code 1040 with another SQLState is not taken for one.
		assertThat(ConnectionFailures.isTooManyConnections(new SQLException("other", "08001", 1040))).isFalse();
		assertThat(ConnectionFailures.isConnectionFailure(new SQLException("other", "08001", 1040))).isTrue();
		// A refused MySQL login is class 28, as on PostgreSQL.
		assertThat(ConnectionFailures.isLoginRefused(new SQLException("Access denied for user", "28000", 1045)))
			.isTrue();
	}

	@Test
	void connectionExceptionTypesAreConnectionFailuresWithoutASqlState() {
		assertThat(ConnectionFailures.isConnectionFailure(new SQLNonTransientConnectionException("gone"))).isTrue();
		assertThat(ConnectionFailures.isConnectionFailure(new SQLRecoverableException("gone"))).isTrue();
	}

	@Test
	void theCauseChainIsSearchedWhateverSpringWrappedItIn() {
		SQLException refused = new SQLTransientConnectionException("timed out", "08001",
				new ConnectException("Connection refused"));
		assertThat(ConnectionFailures
			.isConnectionFailure(new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection", refused)))
			.isTrue();
		assertThat(ConnectionFailures.isConnectionFailure(new DataAccessResourceFailureException("wrapped",
				new SQLException("I/O error", new SocketException("Connection reset")))))
			.isTrue();
	}

	@Test
	void socketErrorsOfOtherServicesAreNotDatabaseFailures() {
		assertThat(ConnectionFailures.isConnectionFailure(
				new ResourceAccessException("I/O error on GET request", new ConnectException("Connection refused"))))
			.isFalse();
		assertThat(ConnectionFailures.isConnectionFailure(
				new DataAccessResourceFailureException("wrapped", new SocketException("Connection reset"))))
			.isFalse();
	}

	@Test
	void sqlErrorsAreNotConnectionFailures() {
		assertThat(ConnectionFailures.isConnectionFailure(new SQLException("deadlock detected", "40P01"))).isFalse();
		assertThat(ConnectionFailures.isConnectionFailure(new SQLException("canceling statement", "57014"))).isFalse();
		assertThat(ConnectionFailures.isConnectionFailure(new SQLException("duplicate key", "23505"))).isFalse();
		assertThat(ConnectionFailures.isConnectionFailure(new SQLException("no state"))).isFalse();
	}

	@Test
	void theStartersOwnRefusalsAreNotConnectionFailures() {
		assertThat(ConnectionFailures.isConnectionFailure(new DrainingException("draining"))).isFalse();
		assertThat(ConnectionFailures
			.isConnectionFailure(new PrimaryUnavailableException("open", java.time.Duration.ofSeconds(3)))).isFalse();
		// Even when the refusal carries the connection failure that led to it.
		assertThat(ConnectionFailures.isConnectionFailure(
				new dev.pool.NoReplicaAvailableException("none", new SQLException("refused", "08001"))))
			.isFalse();
	}

	@Test
	void aSelfCausedExceptionDoesNotLoop() {
		SQLException self = new SQLException("odd", "42000") {

			@Override
			public synchronized Throwable getCause() {
				return this;
			}

		};
		assertThat(ConnectionFailures.isConnectionFailure(self)).isFalse();
	}

}
