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
 * Read-your-writes on MariaDB, by GTID: a write's position is the sequence number of the
 * GTID it produced ({@code @@last_gtid} on its connection, or, outside a web request,
 * {@code @@gtid_binlog_pos} on the primary when the caller next reads); a replica serves
 * the writer once its {@code @@gtid_slave_pos} has reached that sequence number in the
 * same replication domain.
 * <p>
 * One domain is followed: the primary's {@code @@gtid_domain_id}, as a primary without
 * multi-source replication writes. A write whose GTID is in another domain, or that
 * produced none, has an unknown position: its caller reads from the primary while it
 * lives.
 */
public final class MariaDbConsistency extends GtidConsistency {

	private static final Log logger = LogFactory.getLog(MariaDbConsistency.class);

	private static final String LAST_GTID = "SELECT @@last_gtid";

	private static final String PRIMARY = "SELECT @@global.gtid_domain_id, @@global.gtid_binlog_pos";

	private static final String APPLIED = "SELECT @@global.gtid_slave_pos";

	// The replication domain followed, Gtids.ABSENT until known: learned once, from the
	// startup check or the first answer that names it.
	private volatile long domain;

	private volatile boolean noGtidLogged;

	/**
	 * Creates the strategy.
	 * @param topology the primary (whichever it is now) and the replicas' positions
	 * @param domain the primary's {@code @@gtid_domain_id}, or a negative number when not
	 * known yet
	 * @param maxWait how long a read may wait for a replica to catch up
	 * @param ttl how long a position counts after its write
	 */
	public MariaDbConsistency(LiveTopology topology, long domain, Duration maxWait, Duration ttl) {
		super(topology, maxWait, ttl);
		this.domain = (domain < 0) ? Gtids.ABSENT : domain;
	}

	@Override
	protected ConsistencyToken.Flavour flavour() {
		return ConsistencyToken.Flavour.GTID;
	}

	// The GTID this session's last transaction produced.
	@Override
	protected long writePosition(Connection physical) throws SQLException {
		String gtid;
		try (Statement statement = physical.createStatement(); ResultSet rs = statement.executeQuery(LAST_GTID)) {
			rs.next();
			gtid = text(rs.getString(1));
		}
		return position(gtid);
	}

	// A write's GTID as a position: its sequence number in the domain followed.
	private long position(String gtid) {
		long of = Gtids.domain(gtid);
		if (of == Gtids.ABSENT) {
			if (!this.noGtidLogged) {
				this.noGtidLogged = true;
				logger.warn("A write on the primary produced no GTID (is the binary log off?): its caller reads "
						+ "from the primary while its read-your-writes position lives");
			}
			return UNKNOWN_POSITION;
		}
		if (this.domain == Gtids.ABSENT) {
			this.domain = of;
		}
		long sequence = (of == this.domain) ? Gtids.sequence(gtid, of) : Gtids.ABSENT;
		return (sequence == Gtids.ABSENT) ? UNKNOWN_POSITION : sequence;
	}

	@Override
	protected long primaryPosition(Connection primary) throws SQLException {
		try (Statement statement = primary.createStatement(); ResultSet rs = statement.executeQuery(PRIMARY)) {
			rs.next();
			if (this.domain == Gtids.ABSENT) {
				this.domain = rs.getLong(1);
			}
			long sequence = Gtids.sequence(text(rs.getString(2)), this.domain);
			// No GTID of the domain yet: nothing tells how far a replica must be.
			return (sequence == Gtids.ABSENT) ? UNKNOWN_POSITION : sequence;
		}
	}

	@Override
	protected long appliedPosition(Connection replica) throws SQLException {
		try (Statement statement = replica.createStatement(); ResultSet rs = statement.executeQuery(APPLIED)) {
			rs.next();
			long domain = this.domain;
			long sequence = (domain == Gtids.ABSENT) ? Gtids.ABSENT : Gtids.sequence(text(rs.getString(1)), domain);
			return (sequence == Gtids.ABSENT) ? 0 : sequence;
		}
	}

}
