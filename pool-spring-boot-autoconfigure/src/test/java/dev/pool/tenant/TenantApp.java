package dev.pool.tenant;

import java.util.List;
import java.util.Map;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A small multi-tenant service: each tenant writes and reads its own notes through the
 * one injected {@code DataSource}.
 */
@SpringBootApplication
public class TenantApp {

	static final String WHERE = "SELECT current_database() AS database, current_schema() AS schema, "
			+ "CAST(inet_server_port() AS text) AS port, current_setting('search_path') AS search_path";

	/** Notes of whichever tenant is in scope. */
	@Service
	public static class Notes {

		private final JdbcTemplate jdbc;

		Notes(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		/**
		 * Writes a note and reads back every note the tenant can see, in one transaction.
		 */
		@Transactional
		public Map<String, Object> writeAndReadAll(String body) {
			this.jdbc.update("INSERT INTO notes (body) VALUES (?)", body);
			List<String> bodies = this.jdbc.queryForList("SELECT body FROM notes ORDER BY id", String.class);
			Map<String, Object> where = this.jdbc.queryForMap(WHERE);
			return Map.of("database", where.get("database"), "schema", where.get("schema"), "bodies", bodies);
		}

		/** Where the connection is. */
		public Map<String, Object> where() {
			return this.jdbc.queryForMap(WHERE);
		}

	}

	@RestController
	static class Endpoints {

		private final Notes notes;

		Endpoints(Notes notes) {
			this.notes = notes;
		}

		@PostMapping("/notes")
		Map<String, Object> write(@RequestParam String body) {
			return this.notes.writeAndReadAll(body);
		}

		@GetMapping("/where")
		Map<String, Object> where() {
			return this.notes.where();
		}

	}

}
