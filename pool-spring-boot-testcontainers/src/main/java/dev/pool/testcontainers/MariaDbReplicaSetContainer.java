package dev.pool.testcontainers;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.command.InspectContainerResponse;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.Network;
import org.testcontainers.mariadb.MariaDBContainer;
import org.testcontainers.utility.DockerImageName;

import org.springframework.util.Assert;

/**
 * A MariaDB primary with GTID replicas, each in its own container on one Docker network:
 * the primary is this container, the replicas start with it and replicate from it by GTID
 * ({@code MASTER_USE_GTID = slave_pos}). With {@code @ServiceConnection} it wires
 * {@code app.datasource.primary} and every replica by name, as
 * {@link PostgresReplicaSetContainer} does for PostgreSQL.
 * <p>
 * The application's login may read the replication status ({@code REPLICA MONITOR}), so
 * the starter's replica checks see lag and stopped threads. The image is the official
 * {@code mariadb:11} unless given; any image compatible with it works.
 */
public class MariaDbReplicaSetContainer extends MariaDBContainer {

	/** The image used unless another is given: the official MariaDB 11. */
	public static final String DEFAULT_IMAGE = "mariadb:11";

	/** The name the replicas reach the primary by on the cluster's network. */
	public static final String PRIMARY_ALIAS = "primary";

	static final int PORT = 3306;

	static final String REPLICATION_USER = "repl";

	private final DockerImageName image;

	private final List<String> replicaNames = new ArrayList<>(List.of("replica-1", "replica-2"));

	private final Map<String, MariaDbReplicaContainer> replicas = new LinkedHashMap<>();

	private final Network network = Network.newNetwork();

	/** A primary with two replicas of {@code mariadb:11}. */
	public MariaDbReplicaSetContainer() {
		this(DEFAULT_IMAGE);
	}

	/**
	 * A primary with two replicas of the given image.
	 * @param image the image name, such as {@code mariadb:11}
	 */
	public MariaDbReplicaSetContainer(String image) {
		this(DockerImageName.parse(image));
	}

	/**
	 * A primary with two replicas of the given image.
	 * @param image the image, {@code mariadb} or declared compatible with it
	 */
	public MariaDbReplicaSetContainer(DockerImageName image) {
		super(image);
		this.image = image;
		withNetwork(this.network);
		withNetworkAliases(PRIMARY_ALIAS);
		setCommand(serverArguments(1, false));
		NodeFaults.bindFixedPort(this, PORT);
	}

	static String[] serverArguments(int serverId, boolean replica) {
		List<String> arguments = new ArrayList<>(List.of("--server-id=" + serverId, "--log-bin=mariadb-bin",
				"--log-slave-updates", "--binlog-format=ROW", "--gtid-strict-mode=1", "--skip-name-resolve"));
		if (replica) {
			arguments.add("--read-only=1");
		}
		return arguments.toArray(String[]::new);
	}

	/**
	 * Sets how many replicas start with the primary, named {@code replica-1} to
	 * {@code replica-N}.
	 * @param count the number of replicas, 0 or more
	 * @return this container
	 */
	public MariaDbReplicaSetContainer withReplicas(int count) {
		Assert.isTrue(count >= 0, "'count' must not be negative");
		Assert.state(this.replicas.isEmpty(), "The replicas are already started");
		this.replicaNames.clear();
		for (int i = 1; i <= count; i++) {
			this.replicaNames.add("replica-" + i);
		}
		return this;
	}

	/**
	 * The replicas, in the order they were named; empty until the container has started.
	 * @return the replicas
	 */
	public List<MariaDbReplicaContainer> getReplicas() {
		return List.copyOf(this.replicas.values());
	}

	/**
	 * One replica by name.
	 * @param name the replica's name, such as {@code replica-1}
	 * @return the replica
	 */
	public MariaDbReplicaContainer getReplica(String name) {
		MariaDbReplicaContainer replica = this.replicas.get(name);
		Assert.state(replica != null,
				() -> "No replica named '" + name + "' (replicas: " + this.replicas.keySet() + ")");
		return replica;
	}

	/** Kills the primary's server at once, as a crash would. */
	public void killPrimary() {
		NodeFaults.kill(this);
	}

	/**
	 * Freezes the primary: connections to it hang, as behind a dead network, until
	 * {@link #resumePrimary()}.
	 */
	public void pausePrimary() {
		NodeFaults.pause(this);
	}

	/** Lets a paused primary run again. */
	public void resumePrimary() {
		NodeFaults.resume(this);
	}

	@Override
	protected void containerIsStarted(InspectContainerResponse containerInfo) {
		super.containerIsStarted(containerInfo);
		// The replicas' login, and the application's right to read the replication
		// status; replicated, so the replicas have both too.
		asRoot("CREATE USER '" + REPLICATION_USER + "'@'%' IDENTIFIED BY '" + REPLICATION_USER + "'",
				"GRANT REPLICATION SLAVE ON *.* TO '" + REPLICATION_USER + "'@'%'",
				"GRANT REPLICA MONITOR ON *.* TO '" + getUsername() + "'@'%'");
		int serverId = 2;
		for (String name : this.replicaNames) {
			MariaDbReplicaContainer replica = new MariaDbReplicaContainer(this.image, name, serverId++, this);
			this.replicas.put(name, replica);
			replica.start();
		}
	}

	void asRoot(String... statements) {
		rootSql(getJdbcUrl(), getPassword(), statements);
	}

	static void rootSql(String jdbcUrl, String password, String... statements) {
		try (Connection connection = DriverManager.getConnection(jdbcUrl, "root", password);
				Statement statement = connection.createStatement()) {
			for (String sql : statements) {
				statement.execute(sql);
			}
		}
		catch (SQLException ex) {
			throw new ContainerLaunchException(
					"MariaDB refused '" + String.join("; ", statements) + "': " + ex.getMessage(), ex);
		}
	}

	@Override
	public void stop() {
		List<MariaDbReplicaContainer> started = new ArrayList<>(this.replicas.values());
		Collections.reverse(started);
		started.forEach(MariaDbReplicaContainer::stop);
		this.replicas.clear();
		super.stop();
		this.network.close();
	}

}
