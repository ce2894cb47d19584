package dev.pool.it;

import java.util.Map;

import dev.pool.ReadOnly;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * A small web application on the starter, used by the end-to-end tests.
 */
@SpringBootApplication
public class TestApp {

	static final String NODE = "SELECT CAST(pg_is_in_recovery() AS text) || ':' || inet_server_port()";

	@Bean
	Reads reads(JdbcTemplate jdbc) {
		return new Reads(jdbc);
	}

	// The primary's SQL on another database: test.node-sql answers "<read only>:<port>",
	// test.sleep-sql sleeps for its parameter's seconds.
	@Bean
	Writes writes(JdbcTemplate jdbc, @Value("${test.node-sql:" + NODE + "}") String nodeSql,
			@Value("${test.sleep-sql:SELECT pg_sleep(?)}") String sleepSql) {
		return new Writes(jdbc, nodeSql, sleepSql);
	}

	/** Reads, routed to replicas. */
	public static class Reads {

		private final JdbcTemplate jdbc;

		Reads(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@ReadOnly
		public String node() {
			return this.jdbc.queryForObject(NODE, String.class);
		}

		/**
		 * The address of the node that served the read
		 * ({@code host(inet_server_addr())}).
		 */
		@ReadOnly
		public String address() {
			return this.jdbc.queryForObject("SELECT host(inet_server_addr())", String.class);
		}

		/**
		 * Whether a row of {@code test_writes} is there, and the node that answered
		 * ({@code found:in recovery:port}).
		 */
		@ReadOnly
		public String row(long id) {
			return this.jdbc.queryForObject("SELECT CAST(count(*) > 0 AS text) || ':' || "
					+ NODE.substring("SELECT ".length()) + " FROM test_writes WHERE id = ?", String.class, id);
		}

	}

	/** Writes and slow work on the primary. */
	public static class Writes {

		private final JdbcTemplate jdbc;

		private final String nodeSql;

		private final String sleepSql;

		Writes(JdbcTemplate jdbc, String nodeSql, String sleepSql) {
			this.jdbc = jdbc;
			this.nodeSql = nodeSql;
			this.sleepSql = sleepSql;
		}

		@Transactional
		public String slow(long millis) {
			this.jdbc.queryForObject(this.sleepSql, Object.class, millis / 1000.0);
			return this.jdbc.queryForObject(this.nodeSql, String.class);
		}

		@Transactional
		public String write() {
			return this.jdbc.queryForObject(this.nodeSql, String.class);
		}

		/**
		 * A real write: a row with the id, in a transaction; returns the node that took
		 * it ({@code in recovery:port}, as seen in that transaction).
		 */
		@Transactional
		public String insert(long id) {
			this.jdbc.update("INSERT INTO test_writes (id, port) VALUES (?, inet_server_port())", id);
			return this.jdbc.queryForObject(NODE, String.class);
		}

		public void raise(String sqlState) {
			this.jdbc.execute("DO $$ BEGIN RAISE EXCEPTION 'raised' USING ERRCODE = '" + sqlState + "'; END $$");
		}

	}

	@RestController
	static class Endpoints {

		private final Reads reads;

		private final Writes writes;

		Endpoints(Reads reads, Writes writes) {
			this.reads = reads;
			this.writes = writes;
		}

		@GetMapping("/read")
		Map<String, String> read() {
			return Map.of("node", this.reads.node());
		}

		@PostMapping("/write")
		Map<String, String> write() {
			return Map.of("node", this.writes.write());
		}

		@PostMapping("/rows")
		Map<String, String> insert(@RequestParam long id) {
			return Map.of("node", this.writes.insert(id));
		}

		@GetMapping("/rows")
		Map<String, String> row(@RequestParam long id) {
			return Map.of("row", this.reads.row(id));
		}

		@GetMapping("/slow")
		Map<String, String> slow(@RequestParam long millis) {
			return Map.of("node", this.writes.slow(millis));
		}

		// A call to another service that is down: nothing listens on port 1.
		@GetMapping("/remote")
		String remote() {
			return RestClient.create().get().uri("http://127.0.0.1:1/").retrieve().body(String.class);
		}

		@GetMapping("/raise")
		Map<String, String> raise(@RequestParam String state) {
			this.writes.raise(state);
			return Map.of();
		}

	}

}
