package dev.pool.test;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * A real MariaDB primary and N replicas on loopback, replicating by GTID, from Debian's
 * {@code mariadb-server} binaries ({@code scripts/install-ha-packages.sh} installs them),
 * with the faults a replica set has: a node killed and restarted, a replica whose SQL
 * thread stops, a replica delayed by {@code MASTER_DELAY}, a replica promoted. When the
 * JVM runs as root the servers run as an unprivileged user, started with {@code setpriv}
 * so the process the JVM holds is the server itself.
 */
public final class EmbeddedMariaDbCluster implements AutoCloseable {

	/**
	 * The application's login, allowed everything (the replicas get it by replication).
	 */
	public static final String USERNAME = "pool";

	/** Its password. */
	public static final String PASSWORD = "pool";

	/** The replicas' login on the primary. */
	private static final String REPLICATION_USER = "repl";

	private static final Path SERVER = Path.of("/usr/sbin/mariadbd");

	private static final Path INSTALL_DB = Path.of("/usr/bin/mariadb-install-db");

	private static final Path CLIENT = Path.of("/usr/bin/mariadb");

	private static final Duration STARTUP = Duration.ofSeconds(60);

	private final Path directory;

	private final Processes processes;

	private final MariaDbNode primary;

	private final List<MariaDbNode> replicas;

	// Stops the servers when the JVM exits before close(): a cluster shared by the tests
	// of one JVM is never closed by them.
	private final Thread shutdownHook = new Thread(this::stop, "embedded-mariadb-shutdown");

	private final AtomicBoolean closed = new AtomicBoolean();

	private EmbeddedMariaDbCluster(Path directory, Processes processes, MariaDbNode primary,
			List<MariaDbNode> replicas) {
		this.directory = directory;
		this.processes = processes;
		this.primary = primary;
		this.replicas = List.copyOf(replicas);
		Runtime.getRuntime().addShutdownHook(this.shutdownHook);
	}

	/**
	 * Whether the MariaDB binaries are installed.
	 * @return true when {@code mariadbd}, {@code mariadb-install-db} and {@code mariadb}
	 * are there
	 */
	public static boolean binariesInstalled() {
		return Files.isExecutable(SERVER) && Files.isExecutable(INSTALL_DB) && Files.isExecutable(CLIENT);
	}

	/**
	 * Starts a primary and replicas, each replica replicating by GTID from the primary's
	 * first transaction (so the logins made on the primary reach it).
	 * @param replicas how many replicas
	 * @return the running cluster
	 */
	public static EmbeddedMariaDbCluster start(int replicas) {
		if (!binariesInstalled()) {
			throw new EmbeddedPostgresException("MariaDB is not installed (" + SERVER + "): install it with "
					+ "scripts/install-ha-packages.sh (as root)");
		}
		Processes processes = Processes.forCurrentUser();
		Path directory;
		try {
			directory = Files.createTempDirectory("pool-mariadb-");
			Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
		}
		catch (IOException ex) {
			throw new EmbeddedPostgresException("Could not create a directory for MariaDB: " + ex.getMessage(), ex);
		}
		List<MariaDbNode> started = new ArrayList<>();
		try {
			MariaDbNode primary = node(directory, processes, "primary", 1, false);
			started.add(primary);
			primary.start();
			primary.rootSql("CREATE USER '" + USERNAME + "'@'%' IDENTIFIED BY '" + PASSWORD + "'; "
					+ "GRANT ALL PRIVILEGES ON *.* TO '" + USERNAME + "'@'%'; " + "CREATE USER '" + REPLICATION_USER
					+ "'@'%' IDENTIFIED BY '" + REPLICATION_USER + "'; " + "GRANT REPLICATION SLAVE ON *.* TO '"
					+ REPLICATION_USER + "'@'%';");
			List<MariaDbNode> replicaNodes = new ArrayList<>();
			for (int i = 1; i <= replicas; i++) {
				MariaDbNode replica = node(directory, processes, "replica-" + i, i + 1, true);
				started.add(replica);
				replica.start();
				replica.rootSql("SET GLOBAL gtid_slave_pos = ''; CHANGE MASTER TO MASTER_HOST = '127.0.0.1', "
						+ "MASTER_PORT = " + primary.port() + ", MASTER_USER = '" + REPLICATION_USER
						+ "', MASTER_PASSWORD = '" + REPLICATION_USER + "', MASTER_USE_GTID = slave_pos, "
						+ "MASTER_CONNECT_RETRY = 1; START SLAVE;");
				replicaNodes.add(replica);
			}
			EmbeddedMariaDbCluster cluster = new EmbeddedMariaDbCluster(directory, processes, primary, replicaNodes);
			cluster.awaitReplication();
			return cluster;
		}
		catch (RuntimeException ex) {
			started.forEach(MariaDbNode::kill);
			delete(directory);
			throw ex;
		}
	}

	private static MariaDbNode node(Path directory, Processes processes, String name, int serverId, boolean replica) {
		try {
			int port = Ports.free(InetAddress.getLoopbackAddress());
			Path home = directory.resolve(name);
			Files.createDirectories(home);
			processes.own(home);
			return new MariaDbNode(name, serverId, port, home, replica, processes);
		}
		catch (IOException ex) {
			throw new EmbeddedPostgresException("Could not prepare MariaDB node '" + name + "': " + ex.getMessage(),
					ex);
		}
	}

	/** The primary. */
	public MariaDbNode primary() {
		return this.primary;
	}

	/** The replicas, in order. */
	public List<MariaDbNode> replicas() {
		return this.replicas;
	}

	/**
	 * A replica by number.
	 * @param index 1 for the first
	 * @return the replica
	 */
	public MariaDbNode replica(int index) {
		return this.replicas.get(index - 1);
	}

	/**
	 * Creates a database on the primary (the replicas get it) and waits for them.
	 * @param name the database
	 */
	public void createDatabase(String name) {
		if (!name.matches("[a-z0-9_]+")) {
			throw new IllegalArgumentException("Not a plain database name: " + name);
		}
		try (Connection connection = this.primary.connect("mysql");
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE IF NOT EXISTS " + name);
		}
		catch (SQLException ex) {
			throw new EmbeddedPostgresException("Could not create database '" + name + "': " + ex.getMessage(), ex);
		}
		awaitReplication();
	}

	/**
	 * Waits until every running replica whose SQL thread runs has applied everything the
	 * primary has written so far ({@code MASTER_GTID_WAIT}).
	 */
	public void awaitReplication() {
		String position;
		try (Connection connection = this.primary.connect("mysql");
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT @@gtid_binlog_pos")) {
			rs.next();
			position = rs.getString(1);
		}
		catch (SQLException ex) {
			throw new EmbeddedPostgresException("Could not read the primary's GTID position: " + ex.getMessage(), ex);
		}
		for (MariaDbNode replica : this.replicas) {
			if (!replica.isRunning() || position == null || position.isEmpty()) {
				continue;
			}
			try (Connection connection = connectOnceReplicated(replica);
					PreparedStatement statement = connection.prepareStatement("SELECT MASTER_GTID_WAIT(?, 30)")) {
				statement.setString(1, position);
				try (ResultSet rs = statement.executeQuery()) {
					if (!rs.next() || rs.getInt(1) != 0) {
						throw new EmbeddedPostgresException(
								"Replica '" + replica.name() + "' did not apply " + position + " within 30 s");
					}
				}
			}
			catch (SQLException ex) {
				throw new EmbeddedPostgresException(
						"Could not wait for replica '" + replica.name() + "': " + ex.getMessage(), ex);
			}
		}
	}

	// The login is created on the primary and reaches a new replica by replication, its
	// CREATE USER and its GRANT as two events: until both have, the replica refuses it
	// (1130 host not allowed or 1045 access denied before the user, 1044 access denied to
	// the database between the two).
	private static Connection connectOnceReplicated(MariaDbNode replica) throws SQLException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (true) {
			try {
				return replica.connect("mysql");
			}
			catch (SQLException ex) {
				boolean notYet = ex.getErrorCode() == 1130 || ex.getErrorCode() == 1045 || ex.getErrorCode() == 1044;
				if (!notYet || System.nanoTime() > deadline) {
					throw ex;
				}
			}
			sleep(50, "waiting for replica '" + replica.name() + "'");
		}
	}

	private static void sleep(long millis, String what) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new EmbeddedPostgresException("Interrupted while " + what, ex);
		}
	}

	/** Stops every node and deletes their data; safe to call more than once. */
	@Override
	public void close() {
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// Already shutting down: the hook stops the servers.
		}
		stop();
	}

	private void stop() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		for (MariaDbNode replica : this.replicas) {
			replica.kill();
		}
		this.primary.kill();
		delete(this.directory);
	}

	private static void delete(Path directory) {
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// Left for the OS to clean up with the temporary directory.
		}
	}

	@Override
	public String toString() {
		return "EmbeddedMariaDbCluster[primary=" + this.primary.port() + ", replicas="
				+ this.replicas.stream().map(MariaDbNode::port).toList() + "]";
	}

	/** One MariaDB server of the cluster. */
	public static final class MariaDbNode {

		private final String name;

		private final int serverId;

		private final int port;

		private final Path home;

		private final boolean replica;

		private final Processes processes;

		private @Nullable Process process;

		MariaDbNode(String name, int serverId, int port, Path home, boolean replica, Processes processes) {
			this.name = name;
			this.serverId = serverId;
			this.port = port;
			this.home = home;
			this.replica = replica;
			this.processes = processes;
		}

		/** Its name: {@code primary} or {@code replica-N}. */
		public String name() {
			return this.name;
		}

		/** Its TCP port on 127.0.0.1. */
		public int port() {
			return this.port;
		}

		/**
		 * A JDBC URL for MariaDB Connector/J.
		 * @param database the database
		 * @return {@code jdbc:mariadb://127.0.0.1:<port>/<database>}
		 */
		public String jdbcUrl(String database) {
			return "jdbc:mariadb://127.0.0.1:" + this.port + "/" + database;
		}

		/**
		 * A connection as the application's login.
		 * @param database the database
		 * @return the connection
		 * @throws SQLException when the server refuses it
		 */
		public Connection connect(String database) throws SQLException {
			Properties properties = new Properties();
			properties.setProperty("user", USERNAME);
			properties.setProperty("password", PASSWORD);
			return DriverManager.getConnection(jdbcUrl(database), properties);
		}

		/** Whether its server process is alive. */
		public boolean isRunning() {
			Process process = this.process;
			return process != null && process.isAlive();
		}

		/** Starts the server (initialising its data directory the first time). */
		public synchronized void start() {
			Path data = this.home.resolve("data");
			if (!Files.isDirectory(data)) {
				Processes.Result installed = this.processes.run(120,
						List.of(INSTALL_DB.toString(), "--no-defaults", "--datadir=" + data,
								"--auth-root-authentication-method=socket",
								"--auth-root-socket-user=" + System.getProperty("user.name"), "--skip-test-db"));
				if (!installed.ok()) {
					throw new EmbeddedPostgresException(
							"mariadb-install-db failed for '" + this.name + "': " + installed.output());
				}
			}
			List<String> command = new ArrayList<>();
			String user = this.processes.runAs();
			if (user != null) {
				command.addAll(List.of("setpriv", "--reuid=" + user, "--regid=" + this.processes.groupOf(user),
						"--clear-groups"));
			}
			command.addAll(List.of(SERVER.toString(), "--no-defaults", "--datadir=" + data, "--port=" + this.port,
					"--bind-address=127.0.0.1", "--socket=" + socket(), "--pid-file=" + this.home.resolve("pid"),
					"--server-id=" + this.serverId, "--log-bin=" + this.home.resolve("binlog"), "--log-slave-updates",
					"--binlog-format=ROW", "--gtid-strict-mode=1", "--innodb-buffer-pool-size=16M",
					"--max-connections=300", "--skip-name-resolve"));
			if (this.replica) {
				command.add("--read-only=1");
			}
			try {
				this.process = new ProcessBuilder(command).redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.appendTo(this.home.resolve("server.log").toFile()))
					.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
					.start();
			}
			catch (IOException ex) {
				throw new EmbeddedPostgresException("Could not start MariaDB '" + this.name + "': " + ex.getMessage(),
						ex);
			}
			awaitReady();
		}

		private void awaitReady() {
			long deadline = System.nanoTime() + STARTUP.toNanos();
			String last = "";
			while (System.nanoTime() < deadline) {
				if (!isRunning()) {
					throw new EmbeddedPostgresException("MariaDB '" + this.name + "' exited: " + logTail());
				}
				Processes.Result ping = this.processes.runAsSelf(10, List.of(CLIENT.toString(), "--no-defaults",
						"--socket=" + socket(), "-uroot", "-e", "SELECT 1"));
				if (ping.ok()) {
					return;
				}
				last = ping.output();
				sleep(100, "MariaDB '" + this.name + "' started");
			}
			throw new EmbeddedPostgresException(
					"MariaDB '" + this.name + "' not ready within " + STARTUP + ": " + last);
		}

		/**
		 * Runs SQL as the server's root (over its socket).
		 * @param sql one or more statements
		 */
		public void rootSql(String sql) {
			Processes.Result result = this.processes.runAsSelf(30,
					List.of(CLIENT.toString(), "--no-defaults", "--socket=" + socket(), "-uroot", "-e", sql));
			if (!result.ok()) {
				throw new EmbeddedPostgresException("SQL failed on MariaDB '" + this.name + "': " + result.output());
			}
		}

		/** Kills the server at once (SIGKILL), as a crash would. */
		public synchronized void kill() {
			Process process = this.process;
			if (process != null && process.isAlive()) {
				process.destroyForcibly();
				try {
					process.waitFor();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}

		/** Stops the replica's SQL thread: it receives but applies nothing. */
		public void stopSqlThread() {
			rootSql("STOP SLAVE SQL_THREAD");
		}

		/** Starts the replica's SQL thread again. */
		public void startSqlThread() {
			rootSql("START SLAVE SQL_THREAD");
		}

		/**
		 * Makes the replica apply each transaction this long after the primary committed
		 * it ({@code MASTER_DELAY}).
		 * @param delay the delay, zero for none
		 */
		public void setReplicationDelay(Duration delay) {
			rootSql("STOP SLAVE; CHANGE MASTER TO MASTER_DELAY = " + delay.toSeconds() + "; START SLAVE;");
		}

		/** Promotes the replica: replication stops and it accepts writes. */
		public void promote() {
			rootSql("STOP SLAVE; RESET SLAVE ALL; SET GLOBAL read_only = 0;");
		}

		/** The last lines of the server's log, for messages. */
		public String logTail() {
			try {
				List<String> lines = Files.readAllLines(this.home.resolve("server.log"));
				return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
			}
			catch (IOException ex) {
				return "(no log: " + ex.getMessage() + ")";
			}
		}

		private Path socket() {
			return this.home.resolve("mysqld.sock");
		}

		@Override
		public String toString() {
			return this.name + "@" + this.port;
		}

	}

}
