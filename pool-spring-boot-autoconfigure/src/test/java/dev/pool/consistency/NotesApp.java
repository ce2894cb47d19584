package dev.pool.consistency;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.pool.ReadOnly;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Post, redirect, get: the application every team splitting reads writes first.
 */
@SpringBootApplication
public class NotesApp {

	/**
	 * Which node answers: {@code true:<port>} on a replica, {@code false:<port>} on the
	 * primary (PostgreSQL; property {@code notes.node-sql} for another database).
	 */
	static final String NODE = "SELECT CAST(pg_is_in_recovery() AS text) || ':' || inet_server_port()";

	/** {@link #NODE} on MariaDB, whose replicas run with {@code read_only} on. */
	static final String MARIADB_NODE = "SELECT CONCAT(IF(CAST(@@read_only AS CHAR) IN ('0', 'OFF'), 'false', 'true'), "
			+ "':', @@port)";

	/** Reads, on a replica unless the caller's writes are not there yet. */
	@Service
	public static class NoteReads {

		private final NoteRepository notes;

		private final JdbcTemplate jdbc;

		private final String nodeSql;

		@PersistenceContext
		private EntityManager entityManager;

		public NoteReads(NoteRepository notes, JdbcTemplate jdbc,
				@Value("${notes.node-sql:" + NODE + "}") String nodeSql) {
			this.notes = notes;
			this.jdbc = jdbc;
			this.nodeSql = nodeSql;
		}

		@Transactional(readOnly = true)
		public Map<String, Object> find(long id) {
			Map<String, Object> found = new LinkedHashMap<>();
			Optional<Note> note = this.notes.findById(id);
			found.put("found", note.isPresent());
			note.ifPresent((value) -> found.put("text", value.getText()));
			found.put("node", this.entityManager.createNativeQuery(this.nodeSql).getSingleResult());
			return found;
		}

		@ReadOnly
		public Map<String, Object> countAndNode(String text) {
			return Map.of("count",
					this.jdbc.queryForObject("SELECT count(*) FROM note WHERE text = ?", Long.class, text), "node",
					this.jdbc.queryForObject(this.nodeSql, String.class));
		}

		@ReadOnly
		public String node() {
			return this.jdbc.queryForObject(this.nodeSql, String.class);
		}

		/** A read-write transaction, on the primary, that only reads. */
		@Transactional
		public long countOnPrimary() {
			return this.jdbc.queryForObject("SELECT count(*) FROM note", Long.class);
		}

	}

	@RestController
	static class Notes {

		private final NoteRepository notes;

		private final NoteReads reads;

		private final JdbcTemplate jdbc;

		Notes(NoteRepository notes, NoteReads reads, JdbcTemplate jdbc) {
			this.notes = notes;
			this.reads = reads;
			this.jdbc = jdbc;
		}

		@PostMapping("/notes")
		ResponseEntity<Void> add(@RequestParam String text) {
			Note note = this.notes.save(new Note(text));
			return ResponseEntity.status(HttpStatus.FOUND).location(URI.create("/notes/" + note.getId())).build();
		}

		@GetMapping("/notes/{id}")
		ResponseEntity<Map<String, Object>> find(@PathVariable long id) {
			Map<String, Object> found = this.reads.find(id);
			return ResponseEntity.status(Boolean.TRUE.equals(found.get("found")) ? HttpStatus.OK : HttpStatus.NOT_FOUND)
				.body(found);
		}

		// An autocommit write, then a read in the same request.
		@PostMapping("/notes/autocommit")
		Map<String, Object> addAndRead(@RequestParam String text) {
			this.jdbc.update("INSERT INTO note (text) VALUES (?)", text);
			return this.reads.countAndNode(text);
		}

		// The same through statements created without their SQL (JdbcTemplate without
		// parameters); the text is a literal, so only letters and dashes are taken.
		@PostMapping("/notes/unparameterized")
		Map<String, Object> addWithoutParameters(@RequestParam String text) {
			if (!text.matches("[a-z-]+")) {
				throw new IllegalArgumentException("letters and dashes only");
			}
			this.jdbc.update("INSERT INTO note (text) VALUES ('" + text + "')");
			return this.reads.countAndNode(text);
		}

		// A read on the primary through a statement created without its SQL.
		@GetMapping("/notes/count")
		Long count() {
			return this.jdbc.queryForObject("SELECT count(*) FROM note", Long.class);
		}

		@GetMapping("/node")
		String node() {
			return this.reads.node();
		}

	}

}
