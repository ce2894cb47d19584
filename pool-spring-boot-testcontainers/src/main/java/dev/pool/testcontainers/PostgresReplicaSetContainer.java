package dev.pool.testcontainers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.command.InspectContainerResponse;
import org.testcontainers.containers.Network;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

import org.springframework.util.Assert;

/**
 * A PostgreSQL primary with streaming replicas, each in its own container on one Docker
 * network: the primary is this container, the replicas start with it, cloned from it by
 * {@code pg_basebackup}. With {@code @ServiceConnection} it wires
 * {@code app.datasource.primary} and every replica by name.
 * <p>
 * Every node keeps its host port for the container's life, so {@link #killPrimary()},
 * {@link #restartPrimary()} and the replicas' own fault controls act on pools that stay
 * configured. The image is the official {@code postgres:17} unless given; any image
 * compatible with it works (declare a local one with
 * {@link DockerImageName#asCompatibleSubstituteFor(String)}).
 */
public class PostgresReplicaSetContainer extends PostgreSQLContainer {

	/** The image used unless another is given: the official PostgreSQL 17. */
	public static final String DEFAULT_IMAGE = "postgres:17";

	/** The name the replicas reach the primary by on the cluster's network. */
	public static final String PRIMARY_ALIAS = "primary";

	static final int PORT = 5432;

	static final String HBA_FILE = "/etc/pool/pg_hba.conf";

	// Replicas connect for replication from the cluster's network: the official image's
	// own pg_hba.conf allows only ordinary connections from outside.
	static final Transferable HBA = Transferable.of("""
			local all all trust
			host all all all scram-sha-256
			host replication all all scram-sha-256
			""", 0644);

	private final DockerImageName image;

	private final List<String> replicaNames = new ArrayList<>(List.of("replica-1", "replica-2"));

	private final Map<String, PostgresReplicaContainer> replicas = new LinkedHashMap<>();

	private final Network network = Network.newNetwork();

	/**
	 * A primary with two replicas ({@code replica-1}, {@code replica-2}) of
	 * {@code postgres:17}.
	 */
	public PostgresReplicaSetContainer() {
		this(DEFAULT_IMAGE);
	}

	/**
	 * A primary with two replicas of the given image.
	 * @param image the image name, such as {@code postgres:17}
	 */
	public PostgresReplicaSetContainer(String image) {
		this(DockerImageName.parse(image));
	}

	/**
	 * A primary with two replicas of the given image.
	 * @param image the image, {@code postgres} or declared compatible with it
	 */
	public PostgresReplicaSetContainer(DockerImageName image) {
		super(image);
		this.image = image;
		withNetwork(this.network);
		withNetworkAliases(PRIMARY_ALIAS);
		withCopyToContainer(HBA, HBA_FILE);
		setCommand("postgres", "-c", "fsync=off", "-c", "hba_file=" + HBA_FILE, "-c", "cluster_name=" + PRIMARY_ALIAS);
		NodeFaults.bindFixedPort(this);
	}

	/**
	 * Sets how many replicas start with the primary, named {@code replica-1} to
	 * {@code replica-N}.
	 * @param count the number of replicas, 0 or more
	 * @return this container
	 */
	public PostgresReplicaSetContainer withReplicas(int count) {
		Assert.isTrue(count >= 0, "'count' must not be negative");
		List<String> names = new ArrayList<>();
		for (int i = 1; i <= count; i++) {
			names.add("replica-" + i);
		}
		return withReplicas(names.toArray(String[]::new));
	}

	/**
	 * Sets the replicas that start with the primary, by the names they take under
	 * {@code app.datasource.replicas}.
	 * @param names the replica names
	 * @return this container
	 */
	public PostgresReplicaSetContainer withReplicas(String... names) {
		Assert.state(this.replicas.isEmpty(), "The replicas are already started");
		Assert.noNullElements(names, "'names' must not contain null");
		this.replicaNames.clear();
		this.replicaNames.addAll(List.of(names));
		return this;
	}

	/**
	 * The replicas, in the order they were named; empty until the container has started.
	 * @return the replicas
	 */
	public List<PostgresReplicaContainer> getReplicas() {
		return List.copyOf(this.replicas.values());
	}

	/**
	 * One replica by name.
	 * @param name the replica's name, such as {@code replica-1}
	 * @return the replica
	 */
	public PostgresReplicaContainer getReplica(String name) {
		PostgresReplicaContainer replica = this.replicas.get(name);
		Assert.state(replica != null,
				() -> "No replica named '" + name + "' (replicas: " + this.replicas.keySet() + ")");
		return replica;
	}

	/** Kills the primary's server at once, as a crash would. */
	public void killPrimary() {
		NodeFaults.kill(this);
	}

	/**
	 * Starts a killed primary again, on the same port, and waits until it accepts writes.
	 */
	public void restartPrimary() {
		NodeFaults.restart(this, getJdbcUrl(), getUsername(), getPassword(), false);
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
		for (String name : this.replicaNames) {
			PostgresReplicaContainer replica = new PostgresReplicaContainer(this.image, name, this);
			this.replicas.put(name, replica);
			replica.start();
		}
	}

	@Override
	public void stop() {
		List<PostgresReplicaContainer> started = new ArrayList<>(this.replicas.values());
		Collections.reverse(started);
		started.forEach(PostgresReplicaContainer::stop);
		this.replicas.clear();
		super.stop();
		this.network.close();
	}

}
