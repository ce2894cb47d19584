package dev.pool.sample.dialect;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The few expressions of the sample that differ between PostgreSQL and MariaDB, picked
 * once from the primary's URL; every other statement is the same on both.
 */
@Component
public class SampleSql {

	private final boolean mariaDb;

	public SampleSql(@Value("${app.datasource.primary.url}") String primaryUrl) {
		this.mariaDb = primaryUrl.startsWith("jdbc:mariadb:");
	}

	/**
	 * Which node answered, in the same statement: {@code 'replica'} or {@code 'primary'}.
	 * @return an SQL expression
	 */
	public String servedBy() {
		// @@read_only is 0/1 up to MariaDB 11.7, OFF/ON from 11.8.
		return this.mariaDb ? "IF(CAST(@@read_only AS CHAR) IN ('0', 'OFF'), 'primary', 'replica')"
				: "CASE WHEN pg_is_in_recovery() THEN 'replica' ELSE 'primary' END";
	}

	/**
	 * A statement that sleeps for its parameter's seconds.
	 * @return the SQL
	 */
	public String sleep() {
		return this.mariaDb ? "SELECT SLEEP(?)" : "SELECT pg_sleep(?)";
	}

	/**
	 * The database the connection is on.
	 * @return an SQL expression
	 */
	public String currentDatabase() {
		return this.mariaDb ? "DATABASE()" : "current_database()";
	}

	/**
	 * A column alias that is a keyword on MariaDB ({@code database}), quoted as the
	 * database quotes identifiers.
	 * @param name the alias
	 * @return the quoted alias
	 */
	public String quoted(String name) {
		return this.mariaDb ? "`" + name + "`" : "\"" + name + "\"";
	}

	/**
	 * What names the connection on the server: its {@code application_name} on PostgreSQL
	 * (the pool's name), its id on MariaDB (which has no such name).
	 * @return an SQL expression
	 */
	public String connection() {
		return this.mariaDb ? "CONCAT('connection ', CONNECTION_ID())" : "current_setting('application_name')";
	}

}
