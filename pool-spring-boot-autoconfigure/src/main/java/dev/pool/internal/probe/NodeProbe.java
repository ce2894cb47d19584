package dev.pool.internal.probe;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import dev.pool.internal.datasource.JdbcUrls;
import dev.pool.internal.datasource.PoolSettings;
import org.jspecify.annotations.Nullable;

/**
 * Checks one database node over a connection of its own, outside the pool, so a saturated
 * pool never looks like a dead database and a dead database never blocks a check for the
 * pool's connection timeout.
 */
public final class NodeProbe {

	// Lag is 0 when everything received has been replayed (an idle primary sends nothing
	// new);
	// otherwise the age of the last replayed transaction. Not in recovery: not a replica,
	// no
	// lag. Not streaming yet (just restarted): unknown. A restarted standby re-streams
	// from the
	// start of a segment, so its receive position can sit behind what it already
	// replayed:
	// nothing is pending then either, whatever the age of the primary's last transaction.
	// Positions come back as numbers (bytes from 0/0), so nothing parses their text.
	private static final String POSTGRES_LAG = "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0 "
			+ "WHEN pg_last_wal_receive_lsn() IS NULL THEN NULL "
			+ "WHEN pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0 "
			+ "ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END, "
			+ "pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint, "
			+ "greatest(pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()), 0)::bigint";

	private final PoolSettings settings;

	private final boolean postgres;

	/**
	 * Creates a probe.
	 * @param settings the pool whose node to check, with its credentials and validation
	 * timeout
	 */
	public NodeProbe(PoolSettings settings) {
		this.settings = settings;
		this.postgres = settings.isPostgres();
	}

	/**
	 * Connects and validates within the pool's validation timeout; on PostgreSQL also
	 * measures replay lag when asked.
	 * @param measureLag whether to measure replay lag
	 * @return the outcome, never an exception
	 */
	public Result check(boolean measureLag) {
		Duration timeout = this.settings.validationTimeout();
		long start = System.nanoTime();
		try (Connection connection = connect(timeout)) {
			int seconds = (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
			if (!connection.isValid(seconds)) {
				return Result.failed(elapsed(start), "validation failed within " + timeout.toMillis() + "ms");
			}
			if (measureLag && this.postgres) {
				return lag(connection, elapsed(start));
			}
			return new Result(true, elapsed(start), Double.NaN, 0, Double.NaN, null);
		}
		catch (SQLException | RuntimeException ex) {
			return Result.failed(elapsed(start), ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}
	}

	/**
	 * Runs a query on the node.
	 * @param sql the query, with {@code ?} for each parameter
	 * @param parameters the text parameters, bound in order
	 * @return the columns of its first row, empty when there is none
	 * @throws SQLException when the node cannot be reached or the query fails
	 */
	public List<@Nullable Object> queryFirstRow(String sql, String... parameters) throws SQLException {
		try (Connection connection = connect(this.settings.validationTimeout());
				PreparedStatement statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < parameters.length; i++) {
				statement.setString(i + 1, parameters[i]);
			}
			try (ResultSet rs = statement.executeQuery()) {
				List<@Nullable Object> row = new ArrayList<>();
				if (rs.next()) {
					for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
						row.add(rs.getObject(i));
					}
				}
				return row;
			}
		}
	}

	private Connection connect(Duration timeout) throws SQLException {
		Properties properties = new Properties();
		properties.putAll(this.settings.dataSourceProperties());
		if (this.settings.username() != null) {
			properties.setProperty("user", this.settings.username());
		}
		if (this.settings.password() != null) {
			properties.setProperty("password", this.settings.password());
		}
		if (this.postgres) {
			String seconds = Long.toString(Math.max(1, (timeout.toMillis() + 999) / 1000));
			properties.setProperty("connectTimeout", seconds);
			properties.setProperty("loginTimeout", seconds);
			properties.setProperty("socketTimeout", seconds);
		}
		Driver driver = DriverManager.getDriver(this.settings.url());
		Connection connection = driver.connect(this.settings.url(), properties);
		if (connection == null) {
			throw new SQLException("No driver accepts " + JdbcUrls.withoutCredentials(this.settings.url()), "08001");
		}
		return connection;
	}

	private static Result lag(Connection connection, double latencyMillis) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(POSTGRES_LAG)) {
			if (!rs.next()) {
				return new Result(true, latencyMillis, Double.NaN, 0, Double.NaN, null);
			}
			double lagSeconds = rs.getDouble(1);
			lagSeconds = rs.wasNull() ? Double.NaN : lagSeconds;
			long replayPosition = rs.getLong(2);
			double lagBytes = rs.getDouble(3);
			lagBytes = rs.wasNull() ? Double.NaN : lagBytes;
			return new Result(true, latencyMillis, lagSeconds, replayPosition, lagBytes, null);
		}
	}

	private static double elapsed(long start) {
		return (System.nanoTime() - start) / 1_000_000.0;
	}

	/**
	 * The outcome of a check.
	 *
	 * @param reachable whether the node connected and validated
	 * @param latencyMillis how long the check took
	 * @param lagSeconds replay lag, NaN when unknown or not measured
	 * @param replayPosition the WAL position replayed (bytes from 0/0), 0 when unknown
	 * @param lagBytes WAL received but not replayed yet, NaN when unknown
	 * @param error why it failed, or {@code null}
	 */
	public record Result(boolean reachable, double latencyMillis, double lagSeconds, long replayPosition,
			double lagBytes, @Nullable String error) {

		static Result failed(double latencyMillis, String error) {
			return new Result(false, latencyMillis, Double.NaN, 0, Double.NaN, error);
		}

	}

}
