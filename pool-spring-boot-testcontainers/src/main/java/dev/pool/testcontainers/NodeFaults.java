package dev.pool.testcontainers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import com.github.dockerjava.api.DockerClient;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.GenericContainer;

/**
 * The faults one node can suffer, through the Docker API: killed, restarted, frozen. A
 * node keeps its host port across restarts, so pools configured with its URL find it
 * again.
 */
final class NodeFaults {

	private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(60);

	private NodeFaults() {
	}

	/** Binds the node's PostgreSQL port to a fixed free host port, chosen now. */
	static void bindFixedPort(GenericContainer<?> container) {
		bindFixedPort(container, PostgresReplicaSetContainer.PORT);
	}

	/**
	 * Binds a port of the node to a fixed free host port, chosen now, so a restarted node
	 * keeps its URL.
	 */
	static void bindFixedPort(GenericContainer<?> container, int port) {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			container.setPortBindings(List.of(socket.getLocalPort() + ":" + port));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free port for a database container", ex);
		}
	}

	static void kill(GenericContainer<?> container) {
		DockerClient docker = container.getDockerClient();
		if (isPaused(container)) {
			docker.unpauseContainerCmd(container.getContainerId()).exec();
		}
		docker.killContainerCmd(container.getContainerId()).exec();
	}

	static void pause(GenericContainer<?> container) {
		container.getDockerClient().pauseContainerCmd(container.getContainerId()).exec();
	}

	static void resume(GenericContainer<?> container) {
		container.getDockerClient().unpauseContainerCmd(container.getContainerId()).exec();
	}

	/**
	 * Starts a killed node again (or restarts a running one) and waits until it accepts
	 * connections in its role.
	 */
	static void restart(GenericContainer<?> container, String jdbcUrl, String username, String password,
			boolean replica) {
		DockerClient docker = container.getDockerClient();
		String id = container.getContainerId();
		if (isPaused(container)) {
			docker.unpauseContainerCmd(id).exec();
		}
		if (Boolean.TRUE.equals(docker.inspectContainerCmd(id).exec().getState().getRunning())) {
			docker.restartContainerCmd(id).exec();
		}
		else {
			docker.startContainerCmd(id).exec();
		}
		long deadline = System.nanoTime() + RESTART_TIMEOUT.toNanos();
		SQLException last = null;
		while (System.nanoTime() < deadline) {
			try (Connection connection = DriverManager.getConnection(jdbcUrl, username, password);
					Statement statement = connection.createStatement();
					ResultSet result = statement.executeQuery("SELECT pg_is_in_recovery()")) {
				result.next();
				if (result.getBoolean(1) == replica) {
					return;
				}
			}
			catch (SQLException ex) {
				last = ex;
			}
			pauseBriefly();
		}
		throw new ContainerLaunchException("PostgreSQL in " + container.getContainerName() + " did not accept "
				+ "connections within " + RESTART_TIMEOUT.toSeconds() + " s of its restart"
				+ ((last != null) ? ": " + last.getMessage() : ""));
	}

	private static boolean isPaused(GenericContainer<?> container) {
		return Boolean.TRUE.equals(container.getDockerClient()
			.inspectContainerCmd(container.getContainerId())
			.exec()
			.getState()
			.getPaused());
	}

	// Polling a server that is starting: nothing to wait on but time.
	private static void pauseBriefly() {
		try {
			Thread.sleep(200);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ContainerLaunchException("Interrupted while waiting for PostgreSQL to restart");
		}
	}

}
