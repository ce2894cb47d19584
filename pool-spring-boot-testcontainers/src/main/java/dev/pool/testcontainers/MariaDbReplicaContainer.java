package dev.pool.testcontainers;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import com.github.dockerjava.api.command.InspectContainerResponse;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.mariadb.MariaDBContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * One GTID replica of a {@link MariaDbReplicaSetContainer}, with the faults a test needs:
 * kill, freeze, its SQL thread stopped and started, a replication delay
 * ({@code MASTER_DELAY}).
 */
public class MariaDbReplicaContainer extends MariaDBContainer {

	private static final Duration REPLICATING_TIMEOUT = Duration.ofSeconds(60);

	private final String name;

	private final MariaDbReplicaSetContainer primary;

	MariaDbReplicaContainer(DockerImageName image, String name, int serverId, MariaDbReplicaSetContainer primary) {
		super(image);
		this.name = name;
		this.primary = primary;
		withNetwork(primary.getNetwork());
		withNetworkAliases(name);
		withDatabaseName(primary.getDatabaseName());
		withUsername(primary.getUsername());
		withPassword(primary.getPassword());
		setCommand(MariaDbReplicaSetContainer.serverArguments(serverId, true));
		NodeFaults.bindFixedPort(this, MariaDbReplicaSetContainer.PORT);
	}

	/**
	 * The name it takes under {@code app.datasource.replicas}.
	 * @return for example {@code replica-1}
	 */
	public String getName() {
		return this.name;
	}

	@Override
	protected void containerIsStarted(InspectContainerResponse containerInfo) {
		super.containerIsStarted(containerInfo);
		root("SET GLOBAL gtid_slave_pos = ''",
				"CHANGE MASTER TO MASTER_HOST = '" + MariaDbReplicaSetContainer.PRIMARY_ALIAS + "', MASTER_PORT = "
						+ MariaDbReplicaSetContainer.PORT + ", MASTER_USER = '"
						+ MariaDbReplicaSetContainer.REPLICATION_USER + "', MASTER_PASSWORD = '"
						+ MariaDbReplicaSetContainer.REPLICATION_USER
						+ "', MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1",
				"START SLAVE");
		awaitReplicating();
	}

	/** Kills the replica's server at once, as a crash would. */
	public void kill() {
		NodeFaults.kill(this);
	}

	/** Freezes the replica until {@link #resume()}. */
	public void pause() {
		NodeFaults.pause(this);
	}

	/** Lets a paused replica run again. */
	public void resume() {
		NodeFaults.resume(this);
	}

	/** Stops applying what it receives ({@code STOP SLAVE SQL_THREAD}). */
	public void stopSqlThread() {
		root("STOP SLAVE SQL_THREAD");
	}

	/** Applies what it receives again, and waits until both threads run. */
	public void startSqlThread() {
		root("START SLAVE SQL_THREAD");
		awaitReplicating();
	}

	/**
	 * Applies each transaction this long after the primary committed it
	 * ({@code MASTER_DELAY}, whole seconds).
	 * @param delay the delay, zero for none
	 */
	public void setReplicationDelay(Duration delay) {
		root("STOP SLAVE", "CHANGE MASTER TO MASTER_DELAY = " + delay.toSeconds(), "START SLAVE");
		awaitReplicating();
	}

	private void root(String... statements) {
		MariaDbReplicaSetContainer.rootSql(getJdbcUrl(), getPassword(), statements);
	}

	private void awaitReplicating() {
		long deadline = System.nanoTime() + REPLICATING_TIMEOUT.toNanos();
		String last = "";
		while (System.nanoTime() < deadline) {
			try (Connection connection = DriverManager.getConnection(getJdbcUrl(), "root", getPassword());
					Statement statement = connection.createStatement();
					ResultSet status = statement.executeQuery("SHOW REPLICA STATUS")) {
				if (status.next() && "Yes".equals(status.getString("Slave_IO_Running"))
						&& "Yes".equals(status.getString("Slave_SQL_Running"))) {
					return;
				}
				last = status.getRow() > 0 ? status.getString("Last_IO_Error") : "no replication configured";
			}
			catch (SQLException ex) {
				last = ex.getMessage();
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new ContainerLaunchException("Interrupted while replica '" + this.name + "' connected");
			}
		}
		throw new ContainerLaunchException("Replica '" + this.name + "' (" + this.primary.getContainerName()
				+ "'s) did not replicate within " + REPLICATING_TIMEOUT.toSeconds() + " s: " + last);
	}

}
