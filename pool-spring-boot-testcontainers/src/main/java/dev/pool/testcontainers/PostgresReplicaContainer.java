package dev.pool.testcontainers;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * One streaming replica of a {@link PostgresReplicaSetContainer}, with the faults tests
 * inflict on it: {@link #kill()}, {@link #restart()}, {@link #pause()} and a replay delay
 * that makes real replication lag.
 */
public final class PostgresReplicaContainer extends GenericContainer<PostgresReplicaContainer> {

	private final String name;

	private final PostgresReplicaSetContainer primary;

	PostgresReplicaContainer(DockerImageName image, String name, PostgresReplicaSetContainer primary) {
		super(image);
		this.name = name;
		this.primary = primary;
		withNetwork(primary.getNetwork());
		withNetworkAliases(name);
		withExposedPorts(PostgresReplicaSetContainer.PORT);
		NodeFaults.bindFixedPort(this);
		withCopyToContainer(PostgresReplicaSetContainer.HBA, PostgresReplicaSetContainer.HBA_FILE);
		withEnv("PGPASSWORD", primary.getPassword());
		withEnv("PRIMARY_USER", primary.getUsername());
		// The official image's entry point runs other commands as they are: run as the
		// postgres user, which owns the data directory.
		withCreateContainerCmdModifier((command) -> command.withUser("postgres"));
		withCommand("bash", "-c", """
				set -e
				if [ ! -s "$PGDATA/PG_VERSION" ]; then
				  pg_basebackup --pgdata="$PGDATA" --host=%s --port=%d --username="$PRIMARY_USER" \
				    --wal-method=stream --write-recovery-conf --checkpoint=fast
				  chmod 700 "$PGDATA"
				fi
				exec postgres -c fsync=off -c hba_file=%s -c cluster_name=%s
				""".formatted(PostgresReplicaSetContainer.PRIMARY_ALIAS, PostgresReplicaSetContainer.PORT,
				PostgresReplicaSetContainer.HBA_FILE, name));
		waitingFor(Wait.forLogMessage(".*database system is ready to accept read-only connections.*\\s", 1)
			.withStartupTimeout(Duration.ofSeconds(60)));
	}

	/**
	 * The replica's name, as under {@code app.datasource.replicas}.
	 * @return the name
	 */
	public String getName() {
		return this.name;
	}

	/**
	 * The JDBC URL of the primary's database on this replica.
	 * @return the URL
	 */
	public String getJdbcUrl() {
		return "jdbc:postgresql://" + getHost() + ":" + getMappedPort(PostgresReplicaSetContainer.PORT) + "/"
				+ this.primary.getDatabaseName();
	}

	/** Kills the replica's server at once, as a crash would. */
	public void kill() {
		NodeFaults.kill(this);
	}

	/**
	 * Starts a killed replica again, on the same port, and waits until it serves reads.
	 */
	public void restart() {
		NodeFaults.restart(this, getJdbcUrl(), this.primary.getUsername(), this.primary.getPassword(), true);
	}

	/**
	 * Freezes the replica: connections to it hang, as behind a dead network, until
	 * {@link #resume()}.
	 */
	public void pause() {
		NodeFaults.pause(this);
	}

	/** Lets a paused replica run again. */
	public void resume() {
		NodeFaults.resume(this);
	}

	/**
	 * Delays replay on this replica by at least the given time (PostgreSQL's
	 * {@code recovery_min_apply_delay}): real replication lag. {@link Duration#ZERO}
	 * removes the delay.
	 * @param delay the delay
	 */
	public void setReplayDelay(Duration delay) {
		try (Connection connection = DriverManager.getConnection(getJdbcUrl(), this.primary.getUsername(),
				this.primary.getPassword()); Statement statement = connection.createStatement()) {
			statement.execute("ALTER SYSTEM SET recovery_min_apply_delay = '" + delay.toMillis() + "ms'");
			statement.execute("SELECT pg_reload_conf()");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not set the replay delay of replica '" + this.name + "'", ex);
		}
	}

}
