package dev.pool.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Properties;

/**
 * One PostgreSQL server of an {@link EmbeddedPostgresCluster}: the primary or a streaming
 * replica, with controls to stop, kill, restart and delay it.
 */
public final class PostgresNode {

	private static final int LOG_TAIL_LINES = 30;

	private final String name;

	// A promoted replica is a primary from then on.
	private volatile boolean replica;

	private final String host;

	private final int port;

	private final Path dataDirectory;

	private final Path logFile;

	private final Path binDirectory;

	private final Processes processes;

	private final String username;

	private final String password;

	PostgresNode(String name, boolean replica, String host, int port, Path nodeDirectory, Path binDirectory,
			Processes processes, String username, String password) {
		this.name = name;
		this.replica = replica;
		this.host = host;
		this.port = port;
		this.dataDirectory = nodeDirectory.resolve("data");
		this.logFile = nodeDirectory.resolve("server.log");
		this.binDirectory = binDirectory;
		this.processes = processes;
		this.username = username;
		this.password = password;
	}

	/** The node's name: {@code primary}, {@code replica-1}, {@code replica-2}, ... */
	public String name() {
		return this.name;
	}

	/** Whether this node is a streaming replica (false once promoted). */
	public boolean isReplica() {
		return this.replica;
	}

	/** The loopback address the node listens on: 127.0.0.1 unless chosen otherwise. */
	public String host() {
		return this.host;
	}

	/** The TCP port the node listens on. */
	public int port() {
		return this.port;
	}

	/** A JDBC URL for a database on this node, without credentials. */
	public String jdbcUrl(String database) {
		return "jdbc:postgresql://" + this.host + ":" + this.port + "/" + database;
	}

	/**
	 * Opens a plain JDBC connection to a database on this node as the cluster's
	 * superuser.
	 */
	public Connection connect(String database) throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", this.username);
		properties.setProperty("password", this.password);
		properties.setProperty("connectTimeout", "5");
		return DriverManager.getConnection(jdbcUrl(database), properties);
	}

	/** The postmaster's process id while the node runs. */
	public OptionalLong pid() {
		Path pidFile = this.dataDirectory.resolve("postmaster.pid");
		try {
			List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
			return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.get(0).trim()));
		}
		catch (IOException | NumberFormatException ex) {
			return OptionalLong.empty();
		}
	}

	/** Whether the postmaster process is alive. */
	public boolean isRunning() {
		OptionalLong pid = pid();
		return pid.isPresent() && Processes.isAlive(pid.getAsLong());
	}

	/** Starts (or restarts) the node and waits until it accepts connections. */
	public void start() {
		if (isRunning()) {
			return;
		}
		Processes.Result result = this.processes.run(60, List.of(pgCtl(), "-D", this.dataDirectory.toString(), "-l",
				this.logFile.toString(), "-w", "-t", "30", "start"));
		if (!result.ok()) {
			String tail = logTail();
			String hint = tail.contains("Address already in use") ? " Port " + this.port + " is already in use." : "";
			throw new EmbeddedPostgresException("PostgreSQL node '" + this.name + "' on port " + this.port
					+ " failed to start (pg_ctl exit " + result.exitCode() + ")." + hint + "\npg_ctl: "
					+ result.output().trim() + "\nLast lines of " + this.logFile + ":\n" + tail);
		}
	}

	/**
	 * Stops the node cleanly and fast: sessions are disconnected, a checkpoint is
	 * written.
	 */
	public void stop() {
		shutdown("fast");
	}

	/**
	 * Kills the node the way a crash would: every server process exits at once, no
	 * checkpoint; the next start runs crash recovery.
	 */
	public void kill() {
		shutdown("immediate");
	}

	/**
	 * Promotes this replica to primary, as a failover does ({@code pg_ctl promote}), and
	 * waits until it accepts writes. The other replicas keep following the old primary;
	 * with it gone they stop streaming.
	 */
	public void promote() {
		if (!this.replica) {
			throw new IllegalStateException("Only a replica can be promoted; '" + this.name + "' is a primary");
		}
		Processes.Result result = this.processes.run(60,
				List.of(pgCtl(), "-D", this.dataDirectory.toString(), "-w", "-t", "30", "promote"));
		if (!result.ok()) {
			throw new EmbeddedPostgresException(
					"Could not promote '" + this.name + "' (pg_ctl exit " + result.exitCode() + "): "
							+ result.output().trim() + "\nLast lines of " + this.logFile + ":\n" + logTail());
		}
		this.replica = false;
	}

	/** Stops the node (fast) and starts it again. */
	public void restart() {
		stop();
		start();
	}

	/**
	 * Delays replay on this replica by at least the given time (PostgreSQL
	 * {@code recovery_min_apply_delay}); {@link Duration#ZERO} removes the delay.
	 */
	public void setReplayDelay(Duration delay) {
		if (!this.replica) {
			throw new IllegalStateException(
					"Replay delay applies to replicas only; '" + this.name + "' is the primary");
		}
		try (Connection connection = connect("postgres"); Statement statement = connection.createStatement()) {
			statement.execute("ALTER SYSTEM SET recovery_min_apply_delay = '" + delay.toMillis() + "ms'");
			statement.execute("SELECT pg_reload_conf()");
		}
		catch (SQLException ex) {
			throw new EmbeddedPostgresException("Could not set replay delay on '" + this.name + "': " + ex.getMessage(),
					ex);
		}
	}

	/** The last lines of the node's server log. */
	public String logTail() {
		try {
			List<String> lines = Files.readAllLines(this.logFile, StandardCharsets.UTF_8);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
		}
		catch (IOException ex) {
			return "(no server log: " + ex.getMessage() + ")";
		}
	}

	/**
	 * How many lines of the node's server log contain the text: what the server itself
	 * reported, such as the logins it refused.
	 * @param text the text to look for
	 * @return the number of lines of the whole log that contain it
	 */
	public long logLinesContaining(String text) {
		try (java.util.stream.Stream<String> lines = Files.lines(this.logFile, StandardCharsets.UTF_8)) {
			return lines.filter((line) -> line.contains(text)).count();
		}
		catch (IOException ex) {
			throw new EmbeddedPostgresException("Could not read the server log of '" + this.name + "'", ex);
		}
	}

	Path dataDirectory() {
		return this.dataDirectory;
	}

	private void shutdown(String mode) {
		if (!isRunning()) {
			return;
		}
		Processes.Result result = this.processes.run(60,
				List.of(pgCtl(), "-D", this.dataDirectory.toString(), "-m", mode, "-w", "-t", "30", "stop"));
		if (!result.ok() && isRunning()) {
			throw new EmbeddedPostgresException(
					"Could not stop PostgreSQL node '" + this.name + "' (" + mode + "): " + result.output().trim());
		}
	}

	private String pgCtl() {
		return this.binDirectory.resolve("pg_ctl").toString();
	}

	@Override
	public String toString() {
		return this.name + "@" + this.host + ":" + this.port;
	}

}
