package dev.pool.internal.probe;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import dev.pool.internal.datasource.JdbcUrls;
import dev.pool.internal.datasource.PoolSettings;
import dev.pool.internal.datasource.ReadOnlySetting;
import dev.pool.internal.failure.ConnectionFailures;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.TaskRejectedException;

/**
 * Checks one database node over a connection of its own, outside the pool, so a saturated
 * pool never looks like a dead database and a dead database never blocks a check for the
 * pool's connection timeout. Every check is bounded by the pool's
 * {@code validation-timeout} whatever the driver: it runs on a thread of
 * {@link NodeProbes} and is given up at the deadline; while a given-up check is still
 * stuck in the driver (a node that accepts connections and never answers), later checks
 * fail at once instead of piling up threads.
 */
public final class NodeProbe implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(NodeProbe.class);

	// In recovery or not (promoted), whether a WAL receiver runs (a replica whose primary
	// died has none; a role without pg_read_all_stats sees only its pid), lag, replay
	// position and WAL received but not replayed. Lag is 0 when everything received has
	// been replayed (an idle primary sends nothing new), otherwise the age of the last
	// replayed transaction; both lags are unknown when not streaming (restarted, or its
	// primary gone): what it received says nothing about what it misses.
	// A restarted standby re-streams from the start of a segment, so its receive position
	// can sit behind what it already replayed: nothing is pending then either. Positions
	// come back as numbers (bytes from 0/0), so nothing parses their text.
	private static final String POSTGRES_REPLICA = "SELECT r.recovery, "
			+ "CASE WHEN NOT r.recovery THEN 0 WHEN NOT r.streaming OR pg_last_wal_receive_lsn() IS NULL THEN NULL "
			+ "WHEN pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0 "
			+ "ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END, "
			+ "pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint, "
			+ "CASE WHEN r.recovery AND NOT r.streaming THEN NULL "
			+ "ELSE greatest(pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()), 0)::bigint END, "
			+ "r.streaming FROM (SELECT pg_is_in_recovery() AS recovery, EXISTS (SELECT 1 FROM pg_stat_wal_receiver "
			+ "WHERE coalesce(status, 'streaming') = 'streaming') AS streaming) r";

	// A lag reading above this, with WAL pending, is read again after a moment.
	private static final double SECOND_LOOK_ABOVE_SECONDS = 0.5;

	private static final long SECOND_LOOK_MILLIS = 100;

	private final PoolSettings settings;

	private final boolean postgres;

	private final boolean mysql;

	// Whether a refused SHOW REPLICA STATUS was logged: said once; every check asks
	// again, so a grant made later takes effect.
	private volatile boolean replicaStatusRefused;

	private final long timeoutMillis;

	private final AsyncTaskExecutor executor;

	// The last check submitted; one not done yet is stuck in the driver.
	private final AtomicReference<@Nullable Future<?>> inFlight = new AtomicReference<>();

	/**
	 * Creates a probe.
	 * @param settings the pool whose node to check, with its credentials and validation
	 * timeout
	 * @param executor where checks run (see {@link NodeProbes})
	 */
	NodeProbe(PoolSettings settings, AsyncTaskExecutor executor) {
		this.settings = settings;
		this.executor = executor;
		this.postgres = settings.isPostgres();
		this.mysql = settings.isMariaDbOrMySql();
		this.timeoutMillis = settings.validationTimeout().toMillis();
	}

	/**
	 * Connects and validates within the pool's validation timeout; for a replica on
	 * PostgreSQL also reads its replay state.
	 * @param replica whether to read replay lag, position and whether it is still a
	 * streaming replica
	 * @return the outcome, never an exception
	 */
	public Result check(boolean replica) {
		long start = System.nanoTime();
		try {
			return bounded(() -> checkNow(replica, start));
		}
		catch (SQLException ex) {
			return Result.failed(elapsed(start), ex.getMessage());
		}
	}

	private Result checkNow(boolean replica, long start) throws SQLException {
		try (Connection connection = connect()) {
			int seconds = this.settings.validationSeconds();
			if (!connection.isValid(seconds)) {
				return Result.failed(elapsed(start), "validation failed within " + this.timeoutMillis + "ms");
			}
			if (replica && this.postgres) {
				return replicaState(connection, elapsed(start));
			}
			if (replica && this.mysql) {
				return replicationState(connection, elapsed(start));
			}
			return new Result(true, elapsed(start), Double.NaN, 0, Double.NaN, true, true, null);
		}
		catch (SQLException | RuntimeException ex) {
			String error = ex.getClass().getSimpleName() + ": " + ex.getMessage();
			// The server answered: it is up, and only refuses new sessions.
			if (ConnectionFailures.isTooManyConnections(ex) || ConnectionFailures.isLoginRefused(ex)) {
				return Result.refused(elapsed(start), error);
			}
			return Result.failed(elapsed(start), error);
		}
	}

	/**
	 * Runs a query on the node, within the validation timeout.
	 * @param sql the query, with {@code ?} for each parameter
	 * @param parameters the text parameters, bound in order
	 * @return the columns of its first row, empty when there is none
	 * @throws SQLException when the node cannot be reached or the query fails
	 */
	public List<@Nullable Object> queryFirstRow(String sql, String... parameters) throws SQLException {
		return bounded(() -> {
			try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
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
		});
	}

	// The driver may ignore every timeout it is given: the caller waits on its own
	// deadline, never on the driver. A check given up at the deadline stays in flight;
	// until it returns, later checks fail at once rather than stack up behind it.
	private <T> T bounded(Callable<T> work) throws SQLException {
		Future<?> previous = this.inFlight.get();
		if (previous != null && !previous.isDone()) {
			throw new SQLException("The previous check of pool '" + this.settings.name()
					+ "' has not returned yet: the node accepts connections but does not answer", "08001");
		}
		Future<T> task;
		try {
			task = this.executor.submit(work);
		}
		catch (TaskRejectedException ex) {
			throw new SQLException("No thread free to check pool '" + this.settings.name()
					+ "': checks of many nodes are stuck at once", "08001", ex);
		}
		this.inFlight.set(task);
		try {
			return task.get(this.timeoutMillis, TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			throw new SQLException("No answer from pool '" + this.settings.name() + "' node within validation-timeout ("
					+ this.timeoutMillis + "ms)", "08001");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			task.cancel(true);
			throw new SQLException("Interrupted while checking pool '" + this.settings.name() + "'", "08001", ex);
		}
		catch (CancellationException ex) {
			throw new SQLException("The check of pool '" + this.settings.name() + "' was stopped", "08001", ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof SQLException sql) {
				throw sql;
			}
			throw new SQLException(String.valueOf(cause), "08001", cause);
		}
	}

	private Connection connect() throws SQLException {
		Properties properties = new Properties();
		properties.putAll(this.settings.dataSourceProperties());
		// The login as it is now: a rotated secret file is read again.
		this.settings.credentials().applyTo(properties);
		if (this.postgres) {
			String seconds = Integer.toString(this.settings.validationSeconds());
			properties.setProperty("connectTimeout", seconds);
			properties.setProperty("loginTimeout", seconds);
			properties.setProperty("socketTimeout", seconds);
		}
		else if (this.mysql) {
			// MariaDB's and MySQL's drivers take milliseconds.
			String millis = Long.toString(this.timeoutMillis);
			properties.setProperty("connectTimeout", millis);
			properties.setProperty("socketTimeout", millis);
		}
		Driver driver = DriverManager.getDriver(this.settings.url());
		Connection connection = driver.connect(this.settings.url(), properties);
		if (connection == null) {
			throw new SQLException("No driver accepts " + JdbcUrls.withoutCredentials(this.settings.url()), "08001");
		}
		return connection;
	}

	private static Result replicaState(Connection connection, double latencyMillis) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			Result first = replicaState(statement, latencyMillis);
			if (!(first.lagBytes() > 0) || !(first.lagSeconds() > SECOND_LOOK_ABOVE_SECONDS)) {
				return first;
			}
			// WAL pending and the last replayed commit long ago: either the replica is
			// that far behind, or a primary quiet since that commit has just sent new WAL
			// (the age of the last commit is no lag then). A replica that replays, within
			// a moment, everything it had received is keeping up.
			long received = first.replayPosition() + (long) first.lagBytes();
			try {
				Thread.sleep(SECOND_LOOK_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return first;
			}
			Result second = replicaState(statement, latencyMillis);
			if (second.replayPosition() < received) {
				return second;
			}
			return second.withLagAtMost(SECOND_LOOK_MILLIS / 1000.0);
		}
	}

	private static Result replicaState(Statement statement, double latencyMillis) throws SQLException {
		try (ResultSet rs = statement.executeQuery(POSTGRES_REPLICA)) {
			if (!rs.next()) {
				return new Result(true, latencyMillis, Double.NaN, 0, Double.NaN, true, true, null);
			}
			boolean inRecovery = rs.getBoolean(1);
			double lagSeconds = rs.getDouble(2);
			lagSeconds = rs.wasNull() ? Double.NaN : lagSeconds;
			long replayPosition = rs.getLong(3);
			double lagBytes = rs.getDouble(4);
			lagBytes = rs.wasNull() ? Double.NaN : lagBytes;
			boolean streaming = rs.getBoolean(5);
			return new Result(true, latencyMillis, lagSeconds, replayPosition, lagBytes, inRecovery,
					streaming || !inRecovery, null);
		}
	}

	// MariaDB and MySQL: a replica serves reads while both replication threads run; its
	// lag is Seconds_Behind_Master (Seconds_Behind_Source on MySQL), NULL when it does
	// not replicate. A node with @@read_only off is a primary (promoted).
	private Result replicationState(Connection connection, double latencyMillis) throws SQLException {
		boolean readOnly;
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT @@read_only")) {
			readOnly = rs.next() && ReadOnlySetting.isOn(rs.getString(1));
		}
		Map<String, @Nullable String> status;
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SHOW REPLICA STATUS")) {
			status = rs.next() ? row(rs) : Map.of();
		}
		catch (SQLException ex) {
			if (!"42000".equals(ex.getSQLState())) {
				throw ex;
			}
			if (!this.replicaStatusRefused) {
				this.replicaStatusRefused = true;
				logger.warn("Pool '" + this.settings.name() + "' may not read SHOW REPLICA STATUS (" + ex.getMessage()
						+ "): grant it REPLICA MONITOR (MariaDB) or REPLICATION CLIENT (MySQL); until then its lag "
						+ "is unknown and only reachability and @@read_only are checked");
			}
			return new Result(true, latencyMillis, Double.NaN, 0, Double.NaN, readOnly, true, null);
		}
		return replicationState(status, readOnly, latencyMillis);
	}

	/**
	 * A MariaDB or MySQL replica's state from its answers.
	 * @param status the row of {@code SHOW REPLICA STATUS} by column label, empty when it
	 * has none (not a replica)
	 * @param readOnly {@code @@read_only}
	 * @param latencyMillis how long the check took
	 * @return the state
	 */
	static Result replicationState(Map<String, @Nullable String> status, boolean readOnly, double latencyMillis) {
		if (!readOnly) {
			// Promoted: a primary now, whatever replication it had.
			return new Result(true, latencyMillis, 0, 0, Double.NaN, false, true, null);
		}
		String io = first(status, "Slave_IO_Running", "Replica_IO_Running");
		String sql = first(status, "Slave_SQL_Running", "Replica_SQL_Running");
		String behind = first(status, "Seconds_Behind_Master", "Seconds_Behind_Source");
		if (!"Yes".equalsIgnoreCase(sql) || !"Yes".equalsIgnoreCase(io) || behind == null) {
			return Result.failed(latencyMillis, "not replicating (I/O thread " + ((io != null) ? io : "absent")
					+ ", SQL thread " + ((sql != null) ? sql : "absent") + ")");
		}
		return new Result(true, latencyMillis, Double.parseDouble(behind), 0, Double.NaN, true, true, null);
	}

	private static Map<String, @Nullable String> row(ResultSet rs) throws SQLException {
		Map<String, @Nullable String> row = new HashMap<>();
		for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
			row.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
		}
		return row;
	}

	private static @Nullable String first(Map<String, @Nullable String> row, String name, String other) {
		String value = row.get(name);
		return (value != null) ? value : row.get(other);
	}

	private static double elapsed(long start) {
		return (System.nanoTime() - start) / 1_000_000.0;
	}

	/**
	 * Gives up a check still stuck in the driver, so no thread stays busy for a node no
	 * longer checked.
	 */
	@Override
	public void close() {
		Future<?> task = this.inFlight.getAndSet(null);
		if (task != null) {
			task.cancel(true);
		}
	}

	/**
	 * The outcome of a check.
	 *
	 * @param reachable whether the node connected and validated
	 * @param latencyMillis how long the check took
	 * @param lagSeconds replay lag, NaN when unknown or not measured
	 * @param replayPosition the WAL position replayed (bytes from 0/0), 0 when unknown
	 * @param lagBytes WAL received but not replayed yet, NaN when unknown
	 * @param inRecovery whether the node is a standby; false for a promoted replica, true
	 * when not known
	 * @param streaming whether a standby receives WAL from a primary; true when not known
	 * @param error why it failed, or {@code null}
	 * @param refused whether the server answered but refused the session (too many
	 * connections, a login it does not accept): the node is up, the check says nothing
	 * about its replay
	 */
	public record Result(boolean reachable, double latencyMillis, double lagSeconds, long replayPosition,
			double lagBytes, boolean inRecovery, boolean streaming, @Nullable String error, boolean refused) {

		Result(boolean reachable, double latencyMillis, double lagSeconds, long replayPosition, double lagBytes,
				boolean inRecovery, boolean streaming, @Nullable String error) {
			this(reachable, latencyMillis, lagSeconds, replayPosition, lagBytes, inRecovery, streaming, error, false);
		}

		Result withLagAtMost(double seconds) {
			if (!(this.lagSeconds > seconds)) {
				return this;
			}
			return new Result(this.reachable, this.latencyMillis, seconds, this.replayPosition, this.lagBytes,
					this.inRecovery, this.streaming, this.error, this.refused);
		}

		static Result failed(double latencyMillis, @Nullable String error) {
			return new Result(false, latencyMillis, Double.NaN, 0, Double.NaN, true, true, error);
		}

		static Result refused(double latencyMillis, String error) {
			return new Result(false, latencyMillis, Double.NaN, 0, Double.NaN, true, true, error, true);
		}

	}

}
