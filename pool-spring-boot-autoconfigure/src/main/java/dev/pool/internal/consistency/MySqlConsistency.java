package dev.pool.internal.consistency;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import dev.pool.internal.topology.LiveTopology;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Read-your-writes on MySQL with {@code gtid_mode = ON}, by GTID set: a write's position
 * is the number of the primary's own last transaction ({@code @@global.gtid_executed} for
 * its {@code server_uuid}, asked after the write was acknowledged, so it covers it); a
 * replica serves the writer once its {@code @@global.gtid_executed} holds every
 * transaction of that source up to the number without a gap.
 * <p>
 * One source is followed: the primary's {@code server_uuid} at startup. After a failover
 * the new primary numbers its transactions under its own uuid, which this instance does
 * not compare: its writers read from the primary while their positions live, until the
 * application restarts (one WARN line says so). Not run against a MySQL server here (none
 * can be had on this machine): the answers it reads are unit-tested as MySQL documents
 * them.
 */
public final class MySqlConsistency extends GtidConsistency {

	private static final Log logger = LogFactory.getLog(MySqlConsistency.class);

	private static final String PRIMARY = "SELECT @@global.server_uuid, @@global.gtid_executed";

	private static final String APPLIED = "SELECT @@global.gtid_executed";

	private final String sourceUuid;

	private volatile boolean otherSourceLogged;

	/**
	 * Creates the strategy.
	 * @param topology the primary (whichever it is now) and the replicas' positions
	 * @param sourceUuid the primary's {@code server_uuid}
	 * @param maxWait how long a read may wait for a replica to catch up
	 * @param ttl how long a position counts after its write
	 */
	public MySqlConsistency(LiveTopology topology, String sourceUuid, Duration maxWait, Duration ttl) {
		super(topology, maxWait, ttl);
		this.sourceUuid = sourceUuid;
	}

	@Override
	protected ConsistencyToken.Flavour flavour() {
		return ConsistencyToken.Flavour.MYSQL_GTID;
	}

	// Asked on the connection that wrote, after the commit was acknowledged.
	@Override
	protected long writePosition(Connection physical) throws SQLException {
		return primaryPosition(physical);
	}

	@Override
	protected long primaryPosition(Connection primary) throws SQLException {
		try (Statement statement = primary.createStatement(); ResultSet rs = statement.executeQuery(PRIMARY)) {
			rs.next();
			return position(text(rs.getString(1)), text(rs.getString(2)));
		}
	}

	private long position(String serverUuid, String executed) {
		long position = position(this.sourceUuid, serverUuid, executed);
		if (!serverUuid.equalsIgnoreCase(this.sourceUuid) && !this.otherSourceLogged) {
			this.otherSourceLogged = true;
			logger.warn("The primary's server_uuid is " + serverUuid + ", not " + this.sourceUuid
					+ " (a failover): writers read from the primary while their read-your-writes positions live, "
					+ "until the application restarts");
		}
		return position;
	}

	/**
	 * A primary's answer as a position.
	 * @param followed the source followed
	 * @param serverUuid the primary's {@code server_uuid}
	 * @param executed its {@code gtid_executed}
	 * @return the number of its last transaction, {@link #UNKNOWN_POSITION} when it is
	 * another source than the one followed or has no transaction yet
	 */
	static long position(String followed, String serverUuid, String executed) {
		if (!serverUuid.equalsIgnoreCase(followed)) {
			return UNKNOWN_POSITION;
		}
		long last = GtidSets.last(executed, followed);
		return (last == 0) ? UNKNOWN_POSITION : last;
	}

	/**
	 * A replica's answer as a position.
	 * @param followed the source followed
	 * @param executed the replica's {@code gtid_executed}
	 * @return how far the source's transactions are applied without a gap
	 */
	static long applied(String followed, String executed) {
		return GtidSets.contiguous(executed, followed);
	}

	@Override
	protected long appliedPosition(Connection replica) throws SQLException {
		try (Statement statement = replica.createStatement(); ResultSet rs = statement.executeQuery(APPLIED)) {
			rs.next();
			return applied(this.sourceUuid, text(rs.getString(1)));
		}
	}

}
