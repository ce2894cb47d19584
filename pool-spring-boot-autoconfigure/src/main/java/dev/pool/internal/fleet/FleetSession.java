package dev.pool.internal.fleet;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import dev.pool.internal.datasource.PoolSettings;
import org.jspecify.annotations.Nullable;

/**
 * One instance's own session on one node: it holds a PostgreSQL advisory lock for each
 * slot of the budget the instance may use, and reads who else is there. Locks live as
 * long as the session, so an instance that stops or dies gives its slots back with no
 * one's help, and two instances can never hold the same slot. Its
 * {@code application_name} ({@code <app>:fleet:<instance>:<wanted>}) tells the other
 * instances that it is there and how many slots it asks for.
 * <p>
 * Not thread-safe: one fleet thread uses it.
 */
final class FleetSession implements AutoCloseable {

	// The fleet's sessions of this service, with what each asks for; and the slots taken.
	private static final String CENSUS = "SELECT application_name FROM pg_stat_activity WHERE application_name LIKE ?";

	private static final String TAKEN = "SELECT objid::int FROM pg_locks WHERE locktype = 'advisory' AND classid = ?::oid "
			+ "AND objsubid = 2 AND granted";

	private static final String TRY_LOCK = "SELECT pg_try_advisory_lock(?, ?)";

	private static final String UNLOCK = "SELECT pg_advisory_unlock(?, ?)";

	private static final String ROLE_LIMIT = "SELECT rolconnlimit FROM pg_roles WHERE rolname = current_user";

	private static final String NAME = "SELECT set_config('application_name', ?, false)";

	private final PoolSettings settings;

	private final String application;

	private final String instance;

	private final int key;

	private @Nullable Connection connection;

	/**
	 * Creates the session; it connects on first use.
	 * @param settings the node's pool settings (URL, credentials, validation timeout)
	 * @param application the service's application name
	 * @param instance this instance's id
	 */
	FleetSession(PoolSettings settings, String application, String instance) {
		this.settings = settings;
		this.application = application;
		this.instance = instance;
		// The first advisory lock key names the service: its slots are 1..budget under
		// it.
		this.key = application.hashCode() & 0x7fffffff;
	}

	/**
	 * Whether the session is connected (and so holds whatever it acquired).
	 * @return false before the first use and after a failure
	 */
	boolean isOpen() {
		try {
			return this.connection != null && !this.connection.isClosed();
		}
		catch (SQLException ex) {
			return false;
		}
	}

	/**
	 * Who is there: every instance's fleet session and what it asks for, and the slots
	 * taken.
	 * @return the census
	 * @throws SQLException when the node cannot be read
	 */
	Census census() throws SQLException {
		Connection connection = connection();
		Map<String, Integer> wanted = new HashMap<>();
		String prefix = this.application + ":fleet:";
		try (PreparedStatement statement = connection.prepareStatement(CENSUS)) {
			statement.setString(1, like(prefix) + "%");
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					String name = rs.getString(1);
					String rest = name.substring(prefix.length());
					int colon = rest.lastIndexOf(':');
					if (colon > 0) {
						try {
							wanted.merge(rest.substring(0, colon), Integer.parseInt(rest.substring(colon + 1)),
									Math::max);
						}
						catch (NumberFormatException ex) {
							// Not one of ours.
						}
					}
				}
			}
		}
		Set<Integer> taken = new HashSet<>();
		try (PreparedStatement statement = connection.prepareStatement(TAKEN)) {
			statement.setLong(1, this.key);
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					taken.add(rs.getInt(1));
				}
			}
		}
		return new Census(wanted, taken);
	}

	/**
	 * Takes free slots, at most the given number, from the candidates in order.
	 * @param candidates slots nobody held at the last census
	 * @param count how many to take
	 * @return the slots taken (another instance may have taken some first)
	 * @throws SQLException when the node cannot be reached
	 */
	List<Integer> acquire(Collection<Integer> candidates, int count) throws SQLException {
		List<Integer> acquired = new ArrayList<>();
		try (PreparedStatement statement = connection().prepareStatement(TRY_LOCK)) {
			for (int slot : candidates) {
				if (acquired.size() >= count) {
					break;
				}
				statement.setInt(1, this.key);
				statement.setInt(2, slot);
				try (ResultSet rs = statement.executeQuery()) {
					if (rs.next() && rs.getBoolean(1)) {
						acquired.add(slot);
					}
				}
			}
		}
		return acquired;
	}

	/**
	 * Gives slots back.
	 * @param slots slots this session holds
	 * @throws SQLException when the node cannot be reached
	 */
	void release(Collection<Integer> slots) throws SQLException {
		try (PreparedStatement statement = connection().prepareStatement(UNLOCK)) {
			for (int slot : slots) {
				statement.setInt(1, this.key);
				statement.setInt(2, slot);
				statement.executeQuery().close();
			}
		}
	}

	/**
	 * Tells the other instances how many slots this one asks for.
	 * @param wanted the ask
	 * @throws SQLException when the node cannot be reached
	 */
	void ask(int wanted) throws SQLException {
		try (PreparedStatement statement = connection().prepareStatement(NAME)) {
			statement.setString(1, name(wanted));
			statement.executeQuery().close();
		}
	}

	/**
	 * The login role's {@code CONNECTION LIMIT}.
	 * @return the limit, -1 for none
	 * @throws SQLException when the node cannot be reached
	 */
	int roleLimit() throws SQLException {
		try (PreparedStatement statement = connection().prepareStatement(ROLE_LIMIT);
				ResultSet rs = statement.executeQuery()) {
			return rs.next() ? rs.getInt(1) : -1;
		}
	}

	/**
	 * The pool whose node this session is on.
	 * @return the pool's name
	 */
	String poolName() {
		return this.settings.name();
	}

	private String name(int wanted) {
		return this.application + ":fleet:" + this.instance + ":" + wanted;
	}

	private static String like(String text) {
		return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
	}

	private Connection connection() throws SQLException {
		Connection current = this.connection;
		if (current != null && !current.isClosed()) {
			return current;
		}
		Properties properties = new Properties();
		properties.putAll(this.settings.dataSourceProperties());
		// The login as it is now: a rotated secret file is read again.
		this.settings.credentials().applyTo(properties);
		String seconds = Integer.toString(this.settings.validationSeconds());
		properties.setProperty("connectTimeout", seconds);
		properties.setProperty("loginTimeout", seconds);
		// A node that stops answering must not hold the fleet thread.
		properties.setProperty("socketTimeout", seconds);
		properties.setProperty("ApplicationName", name(0));
		Driver driver = DriverManager.getDriver(this.settings.url());
		Connection connection = driver.connect(this.settings.url(), properties);
		if (connection == null) {
			throw new SQLException("No driver accepts the URL of pool '" + this.settings.name() + "'", "08001");
		}
		connection.setAutoCommit(true);
		this.connection = connection;
		return connection;
	}

	/** Ends the session: every slot it held is free again. */
	@Override
	public void close() {
		Connection current = this.connection;
		this.connection = null;
		if (current != null) {
			try {
				current.close();
			}
			catch (SQLException ex) {
				// Gone already: its locks went with it.
			}
		}
	}

	/**
	 * What the node says at one moment.
	 *
	 * @param wanted each instance's ask, by instance id, this one included
	 * @param taken the slots held by any instance
	 */
	record Census(Map<String, Integer> wanted, Set<Integer> taken) {
	}

}
