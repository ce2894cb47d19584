package dev.pool.internal.consistency;

import java.sql.SQLException;
import java.util.List;

import dev.pool.internal.datasource.PoolSettings;
import dev.pool.internal.probe.NodeProbe;
import org.jspecify.annotations.Nullable;

/**
 * What a MariaDB or MySQL primary says at startup about its GTIDs, which picks the
 * read-your-writes strategy: by GTID on MariaDB with its binary log on (every event there
 * has a GTID), by time otherwise (MySQL, or no binary log). A primary that cannot be
 * asked at startup is taken at its URL's word: {@code jdbc:mariadb:} by GTID.
 *
 * @param answered whether the primary answered
 * @param mariaDb whether it is MariaDB
 * @param binaryLog whether its binary log is on
 * @param domain its {@code @@gtid_domain_id}, -1 when not known
 */
public record GtidCheck(boolean answered, boolean mariaDb, boolean binaryLog, long domain) {

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
			long domain = -1;
			if (mariaDb) {
				Object value = probe.queryFirstRow("SELECT @@global.gtid_domain_id").get(0);
				domain = (value instanceof Number number) ? number.longValue() : -1;
			}
			return new GtidCheck(true, mariaDb, binaryLog, domain);
		}
		catch (SQLException | RuntimeException ex) {
			return new GtidCheck(false, false, false, -1);
		}
	}

	/**
	 * Whether read-your-writes goes by GTID.
	 * @param primary the primary's settings, whose URL decides when it did not answer
	 * @return true for {@link MariaDbConsistency}
	 */
	public boolean byGtid(PoolSettings primary) {
		return this.answered ? (this.mariaDb && this.binaryLog) : primary.url().startsWith("jdbc:mariadb:");
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
			return "the primary is MySQL, whose GTID sets this starter does not follow yet";
		}
		return "the primary's binary log is off (@@log_bin = 0), so its writes have no GTID";
	}

	private static boolean on(@Nullable Object value) {
		return (value instanceof Number number) ? number.intValue() != 0
				: (value instanceof Boolean bool) ? bool : "1".equals(String.valueOf(value));
	}

}
