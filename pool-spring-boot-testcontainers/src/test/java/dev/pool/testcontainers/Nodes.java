package dev.pool.testcontainers;

import org.springframework.jdbc.core.JdbcTemplate;

/** Which node served a query, as the server itself says. */
final class Nodes {

	static final String QUERY = "SELECT current_setting('cluster_name') || ':' || pg_is_in_recovery()";

	private Nodes() {
	}

	/** {@code primary:false}, {@code replica-1:true}, … */
	static String served(JdbcTemplate jdbc) {
		return jdbc.queryForObject(QUERY, String.class);
	}

}
