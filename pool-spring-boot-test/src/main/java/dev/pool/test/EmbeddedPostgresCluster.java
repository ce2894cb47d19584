package dev.pool.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL primary with N streaming replicas on 127.0.0.1, started from the
 * embedded binaries on the classpath; {@link #close()} stops every process and deletes
 * the data.
 */
public final class EmbeddedPostgresCluster implements AutoCloseable {

	private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

	private static final Duration REPLICATION_WAIT = Duration.ofSeconds(30);

	private final Path directory;

	private final PostgresNode primary;

	private final List<PostgresNode> replicas;

	private final String username;

	private final String password;

	private final Thread shutdownHook;

	private final Object closeMonitor = new Object();

	private boolean closed;

	private EmbeddedPostgresCluster(Path directory, PostgresNode primary, List<PostgresNode> replicas, String username,
			String password) {
		this.directory = directory;
		this.primary = primary;
		this.replicas = Collections.unmodifiableList(replicas);
		this.username = username;
		this.password = password;
		this.shutdownHook = new Thread(this::closeQuietly, "embedded-postgres-shutdown");
	}

	/** A builder for a cluster; by default one primary and one replica on free ports. */
	public static Builder builder() {
		return new Builder();
	}

	/** The primary (read-write) node. */
	public PostgresNode primary() {
		return this.primary;
	}

	/** The streaming replicas, named {@code replica-1} ... {@code replica-N}. */
	public List<PostgresNode> replicas() {
		return this.replicas;
	}

	/** A replica by its 1-based index. */
	public PostgresNode replica(int index) {
		return this.replicas.get(index - 1);
	}

	/** The superuser every node accepts (password authentication over TCP). */
	public String username() {
		return this.username;
	}

	/** The superuser's password. */
	public String password() {
		return this.password;
	}

	/**
	 * Creates a database on the primary and waits until every running replica has it; use
	 * one per test class for isolation.
	 */
	public void createDatabase(String name) {
		if (!DATABASE_NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("Database name must match " + DATABASE_NAME + ": " + name);
		}
		try (Connection connection = this.primary.connect("postgres");
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			throw new EmbeddedPostgresException("Could not create database '" + name + "': " + ex.getMessage(), ex);
		}
		awaitReplication();
	}

	/** Creates the database unless it exists already. */
	public void createDatabaseIfAbsent(String name) {
		try (Connection connection = this.primary.connect("postgres");
				PreparedStatement statement = connection
					.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
			statement.setString(1, name);
			try (ResultSet rs = statement.executeQuery()) {
				if (rs.next()) {
					return;
				}
			}
		}
		catch (SQLException ex) {
			throw new EmbeddedPostgresException("Could not look up database '" + name + "': " + ex.getMessage(), ex);
		}
		createDatabase(name);
	}

	/**
	 * Waits until every running replica has replayed everything the primary has written
	 * so far (replicas with a replay delay are waited for too, so remove the delay
	 * first).
	 */
	public void awaitReplication() {
		String lsn;
		try (Connection connection = this.primary.connect("postgres");
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT pg_current_wal_lsn()::text")) {
			rs.next();
			lsn = rs.getString(1);
		}
		catch (SQLException ex) {
			throw new EmbeddedPostgresException("Could not read the primary's WAL position: " + ex.getMessage(), ex);
		}
		for (PostgresNode replica : this.replicas) {
			if (replica.isRunning()) {
				awaitReplay(replica, lsn);
			}
		}
	}

	private void awaitReplay(PostgresNode replica, String lsn) {
		long deadline = System.nanoTime() + REPLICATION_WAIT.toNanos();
		SQLException last = null;
		while (System.nanoTime() < deadline) {
			try (Connection connection = replica.connect("postgres");
					PreparedStatement statement = connection
						.prepareStatement("SELECT pg_last_wal_replay_lsn() >= ?::pg_lsn")) {
				statement.setString(1, lsn);
				try (ResultSet rs = statement.executeQuery()) {
					if (rs.next() && rs.getBoolean(1)) {
						return;
					}
				}
			}
			catch (SQLException ex) {
				last = ex;
			}
			sleep(20);
		}
		throw new EmbeddedPostgresException("Replica '" + replica.name() + "' did not replay " + lsn + " within "
				+ REPLICATION_WAIT.toSeconds() + "s" + (last != null ? ": " + last.getMessage() : "")
				+ "\nLast lines of its log:\n" + replica.logTail());
	}

	/** Stops every node and deletes the data; safe to call more than once. */
	@Override
	public void close() {
		synchronized (this.closeMonitor) {
			if (this.closed) {
				return;
			}
			this.closed = true;
		}
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// Already shutting down: the hook is what called us.
		}
		RuntimeException failure = null;
		List<PostgresNode> all = new ArrayList<>(this.replicas);
		all.add(this.primary);
		for (PostgresNode node : all) {
			try {
				node.kill();
			}
			catch (RuntimeException ex) {
				failure = ex;
			}
		}
		try {
			PostgresBinaries.deleteRecursively(this.directory);
		}
		catch (IOException ex) {
			failure = (failure != null) ? failure
					: new EmbeddedPostgresException("Could not delete " + this.directory + ": " + ex.getMessage(), ex);
		}
		if (failure != null) {
			throw failure;
		}
	}

	private void closeQuietly() {
		try {
			close();
		}
		catch (RuntimeException ex) {
			System.err.println("Embedded PostgreSQL cluster did not close cleanly: " + ex.getMessage());
		}
	}

	@Override
	public String toString() {
		return "EmbeddedPostgresCluster[primary=" + this.primary + ", replicas=" + this.replicas + "]";
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new EmbeddedPostgresException("Interrupted", ex);
		}
	}

	/** Builds and starts an {@link EmbeddedPostgresCluster}. */
	public static final class Builder {

		private int replicas = 1;

		private int primaryPort;

		private final List<Integer> replicaPorts = new ArrayList<>();

		private final List<String> replicaHosts = new ArrayList<>();

		private String username = "postgres";

		private String password = "pool-secret";

		private int maxConnections = 300;

		private boolean shutdownHook = true;

		private Builder() {
		}

		/** Number of streaming replicas (0 or more); default 1. */
		public Builder replicas(int replicas) {
			if (replicas < 0) {
				throw new IllegalArgumentException("replicas must be >= 0");
			}
			this.replicas = replicas;
			return this;
		}

		/** A fixed port for the primary; default: a free port. */
		public Builder primaryPort(int port) {
			this.primaryPort = port;
			return this;
		}

		/**
		 * Fixed ports for the replicas, in order; replicas without one get a free port.
		 */
		public Builder replicaPorts(int... ports) {
			this.replicaPorts.clear();
			for (int port : ports) {
				this.replicaPorts.add(port);
			}
			return this;
		}

		/**
		 * Loopback addresses the replicas listen on, in order (127.0.0.0/8: on Linux
		 * every one reaches this machine), so several replicas can share one port, as the
		 * nodes behind a DNS name do; replicas without one listen on 127.0.0.1.
		 */
		public Builder replicaHosts(String... hosts) {
			this.replicaHosts.clear();
			for (String host : hosts) {
				if (!host.startsWith("127.")) {
					throw new IllegalArgumentException("Not a loopback address: " + host);
				}
				this.replicaHosts.add(host);
			}
			return this;
		}

		/** The superuser's name; default {@code postgres}. */
		public Builder username(String username) {
			this.username = username;
			return this;
		}

		/** The superuser's password; default {@code pool-secret}. */
		public Builder password(String password) {
			this.password = password;
			return this;
		}

		/** Server {@code max_connections} on every node; default 300. */
		public Builder maxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
			return this;
		}

		/**
		 * Whether a JVM shutdown hook stops the cluster (default true); turn it off when
		 * the caller closes it in its own hook, after what uses it has shut down.
		 */
		public Builder shutdownHook(boolean shutdownHook) {
			this.shutdownHook = shutdownHook;
			return this;
		}

		/** Creates the data directories and starts the primary and every replica. */
		public EmbeddedPostgresCluster start() {
			Path bin = PostgresBinaries.installation().resolve("bin");
			Processes processes = Processes.forCurrentUser();
			Path directory;
			try {
				directory = Files.createTempDirectory("pool-pg-cluster-");
			}
			catch (IOException ex) {
				throw new EmbeddedPostgresException("Could not create a temporary directory: " + ex.getMessage(), ex);
			}
			EmbeddedPostgresCluster cluster = null;
			try {
				processes.own(directory);
				int primaryPortToUse = port(this.primaryPort, "127.0.0.1", "primary");
				PostgresNode primary = new PostgresNode("primary", false, "127.0.0.1", primaryPortToUse,
						directory.resolve("primary"), bin, processes, this.username, this.password);
				initPrimary(primary, bin, processes, directory);
				List<PostgresNode> replicaNodes = new ArrayList<>();
				for (int i = 1; i <= this.replicas; i++) {
					String name = "replica-" + i;
					int requested = (i <= this.replicaPorts.size()) ? this.replicaPorts.get(i - 1) : 0;
					String host = (i <= this.replicaHosts.size()) ? this.replicaHosts.get(i - 1) : "127.0.0.1";
					PostgresNode replica = new PostgresNode(name, true, host, port(requested, host, name),
							directory.resolve(name), bin, processes, this.username, this.password);
					copyAsStandby(primary, replica, processes);
					replicaNodes.add(replica);
				}
				cluster = new EmbeddedPostgresCluster(directory, primary, replicaNodes, this.username, this.password);
				if (this.shutdownHook) {
					Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
				}
				primary.start();
				for (PostgresNode replica : replicaNodes) {
					replica.start();
				}
				cluster.awaitReplication();
				return cluster;
			}
			catch (IOException | RuntimeException ex) {
				if (cluster != null) {
					cluster.closeQuietly();
				}
				else {
					try {
						PostgresBinaries.deleteRecursively(directory);
					}
					catch (IOException suppressed) {
						ex.addSuppressed(suppressed);
					}
				}
				if (ex instanceof EmbeddedPostgresException epe) {
					throw epe;
				}
				throw new EmbeddedPostgresException(
						"Could not start the embedded PostgreSQL cluster: " + ex.getMessage(), ex);
			}
		}

		private void initPrimary(PostgresNode primary, Path bin, Processes processes, Path directory)
				throws IOException {
			Path pwFile = directory.resolve("pwfile");
			Files.writeString(pwFile, this.password + "\n", StandardCharsets.UTF_8);
			processes.own(pwFile);
			Processes.Result result = processes.run(120,
					List.of(bin.resolve("initdb").toString(), "-D", primary.dataDirectory().toString(), "-U",
							this.username, "--pwfile=" + pwFile, "-E", "UTF8", "--no-locale", "--no-sync",
							"--auth-local=trust", "--auth-host=scram-sha-256"));
			Files.deleteIfExists(pwFile);
			if (!result.ok()) {
				throw new EmbeddedPostgresException(
						"initdb failed (exit " + result.exitCode() + "):\n" + result.output());
			}
			// Replication connections are trusted on loopback only; everything else needs
			// the password.
			Files.writeString(primary.dataDirectory().resolve("pg_hba.conf"), """
					local   all           all                      trust
					host    replication   all        127.0.0.0/8   trust
					host    all           all        127.0.0.0/8   scram-sha-256
					""", StandardCharsets.UTF_8);
			appendSettings(primary, """
					listen_addresses = '127.0.0.1'
					unix_socket_directories = ''
					max_connections = %d
					shared_buffers = 32MB
					wal_level = replica
					max_wal_senders = 10
					wal_keep_size = '512MB'
					hot_standby = on
					hot_standby_feedback = on
					fsync = off
					full_page_writes = off
					log_min_messages = warning
					""".formatted(this.maxConnections));
		}

		private void copyAsStandby(PostgresNode primary, PostgresNode replica, Processes processes) throws IOException {
			Path source = primary.dataDirectory();
			Path target = replica.dataDirectory();
			Files.createDirectories(target.getParent());
			try (var paths = Files.walk(source)) {
				for (Path path : (Iterable<Path>) paths::iterator) {
					Path copy = target.resolve(source.relativize(path).toString());
					Files.copy(path, copy, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
				}
			}
			Files.createFile(target.resolve("standby.signal"));
			// Each node's port lives in its own postgresql.auto.conf so the copy doesn't
			// inherit it.
			Files.writeString(target.resolve("postgresql.auto.conf"),
					"port = " + replica.port() + "\nlisten_addresses = '" + replica.host()
							+ "'\nprimary_conninfo = 'host=127.0.0.1 port=" + primary.port() + " user=" + this.username
							+ " application_name=" + replica.name() + "'\n",
					StandardCharsets.UTF_8);
			if (target.getFileSystem().supportedFileAttributeViews().contains("posix")) {
				Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
			}
			processes.own(target.getParent());
		}

		private void appendSettings(PostgresNode node, String settings) throws IOException {
			Files.writeString(node.dataDirectory().resolve("postgresql.conf"), "\n# pool embedded cluster\n" + settings,
					StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
			Files.writeString(node.dataDirectory().resolve("postgresql.auto.conf"), "port = " + node.port() + "\n",
					StandardCharsets.UTF_8);
		}

		private static int port(int requested, String host, String node) {
			InetAddress address;
			try {
				address = InetAddress.getByName(host);
			}
			catch (IOException ex) {
				throw new EmbeddedPostgresException("Not an address for node '" + node + "': " + host, ex);
			}
			if (requested > 0) {
				try (ServerSocket socket = new ServerSocket(requested, 1, address)) {
					return requested;
				}
				catch (IOException ex) {
					throw new EmbeddedPostgresException("Port " + requested + " requested for node '" + node
							+ "' is already in use on " + host + ": choose another or leave it unset for a free port.");
				}
			}
			try {
				return Ports.free(address);
			}
			catch (IOException ex) {
				throw new EmbeddedPostgresException("Could not find a free port for node '" + node + "'", ex);
			}
		}

	}

}
