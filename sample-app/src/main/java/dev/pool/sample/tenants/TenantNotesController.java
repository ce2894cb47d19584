package dev.pool.sample.tenants;

import java.util.List;
import java.util.Map;

import dev.pool.sample.dialect.SampleSql;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /tenant-notes}: the notes of the tenant named by {@code X-Tenant-ID}; the code
 * knows nothing of tenants, the starter picks the tenant's database.
 */
@RestController
public class TenantNotesController {

	private final JdbcTemplate jdbc;

	private final SampleSql sql;

	public TenantNotesController(JdbcTemplate jdbc, SampleSql sql) {
		this.jdbc = jdbc;
		this.sql = sql;
	}

	@PostMapping("/tenant-notes")
	@ResponseStatus(HttpStatus.CREATED)
	@Transactional
	public Map<String, Object> add(@RequestBody NewNote note) {
		return this.jdbc.queryForMap("INSERT INTO notes (body) VALUES (?) RETURNING id, body, "
				+ this.sql.currentDatabase() + " AS " + this.sql.quoted("database"), note.body());
	}

	@GetMapping("/tenant-notes")
	@Transactional(readOnly = true)
	public List<Map<String, Object>> list() {
		return this.jdbc.queryForList("SELECT id, body, " + this.sql.currentDatabase() + " AS "
				+ this.sql.quoted("database") + " FROM notes ORDER BY id");
	}

	/**
	 * A note to add.
	 *
	 * @param body its text
	 */
	public record NewNote(String body) {
	}

}
