package dev.pool.internal.consistency;

import java.sql.SQLException;
import java.util.List;

import dev.pool.internal.datasource.PoolSettings;
import dev.pool.internal.probe.NodeProbe;
import org.jspecify.annotations.Nullable;

/**
 * What a MariaDB or MySQL primary says at startup about its GTIDs, which picks the
 * read-your-writes strategy: by GTID on MariaDB with its binary log on (every event there
 * has a GTID) and on MySQL with {@code gtid_mode = ON}, by time otherwise. A primary that
 * cannot be asked at startup is taken at its URL's word: {@code jdbc:mariadb:} by GTID,
 * anything else by time.
 *
 * @param answered whether the primary answered
 * @param mariaDb whether it is MariaDB
 * @param binaryLog whether its binary log is on
 * @param domain its {@code @@gtid_domain_id} (MariaDB), -1 when not known
 * @param gtidMode its {@code @@gtid_mode} (MySQL), empty when not known
 * @param serverUuid its {@code @@server_uuid} (MySQL), empty when not known
 */
public record GtidCheck(boolean answered, boolean mariaDb, boolean binaryLog, long domain, String gtidMode,
		String serverUuid) {

	/**
	 * Asks the primary, on a connection of the check's own, within its validation
	 * timeout.
	 * @param probe a probe of the primary's pool, closed here
	 * @return the answer; unanswered when the primary could not be asked
	 */
	public static GtidCheck ask(NodeProbe probe) {
		try (probe) {
			List<@Nullable Object> first = probe.queryFirstRow("SELECT VERSION(), @@global.log_bin");
			boolean mariaDb = String.valueOf(first.get(0)).contains("MariaDB");
			boolean binaryLog = on(first.get(1));
			if (mariaDb) {
				Object value = probe.queryFirstRow("SELECT @@global.gtid_domain_id").get(0);
				long domain = (value instanceof Number number) ? number.longValue() : -1;
				return new GtidCheck(true, true, binaryLog, domain, "", "");
			}
			List<@Nullable Object> mySql = probe.queryFirstRow("SELECT @@global.gtid_mode, @@global.server_uuid");
			return new GtidCheck(true, false, binaryLog, -1, String.valueOf(mySql.get(0)),
					String.valueOf(mySql.get(1)));
		}
		catch (SQLException | RuntimeException ex) {
			return new GtidCheck(false, false, false, -1, "", "");
		}
	}

	/**
	 * Whether read-your-writes goes by MariaDB's GTIDs.
	 * @param primary the primary's settings, whose URL decides when it did not answer
	 * @return true for {@link MariaDbConsistency}
	 */
	public boolean byMariaDbGtid(PoolSettings primary) {
		return this.answered ? (this.mariaDb && this.binaryLog) : primary.url().startsWith("jdbc:mariadb:");
	}

	/**
	 * Whether read-your-writes goes by MySQL's GTID sets.
	 * @return true for {@link MySqlConsistency}
	 */
	public boolean byMySqlGtid() {
		return this.answered && !this.mariaDb && "ON".equalsIgnoreCase(this.gtidMode) && !this.serverUuid.isEmpty();
	}

	/**
	 * Why read-your-writes goes by time, for the one log line that says so.
	 * @return the reason
	 */
	public String whyByTime() {
		if (!this.answered) {
			return "the primary could not be asked at startup and its URL is not jdbc:mariadb:";
		}
		if (!this.mariaDb) {
			return "the primary is MySQL with gtid_mode " + this.gtidMode + " (read-your-writes by GTID needs ON)";
		}
		return "the primary's binary log is off (@@log_bin = 0), so its writes have no GTID";
	}

	private static boolean on(@Nullable Object value) {
		return (value instanceof Number number) ? number.intValue() != 0
				: (value instanceof Boolean bool) ? bool : "1".equals(String.valueOf(value));
	}

}
