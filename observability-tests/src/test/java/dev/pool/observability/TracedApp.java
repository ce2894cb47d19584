package dev.pool.observability;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.pool.ReadOnly;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A service as a team that traces its JDBC calls writes it: JdbcTemplate,
 * {@code @ReadOnly} and read-only transactions, datasource-micrometer and OpenTelemetry
 * on the class path; the spans it exports are kept for the test.
 */
@SpringBootApplication
public class TracedApp {

	static final String NODE = "SELECT CAST(pg_is_in_recovery() AS text) || ':' || inet_server_port()";

	@Bean
	Spans spans() {
		return new Spans();
	}

	/** Every span exported, in the order they ended. */
	public static class Spans implements SpanExporter {

		final List<SpanData> finished = new CopyOnWriteArrayList<>();

		@Override
		public CompletableResultCode export(java.util.Collection<SpanData> spans) {
			this.finished.addAll(spans);
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode flush() {
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode shutdown() {
			return CompletableResultCode.ofSuccess();
		}

	}

	@Service
	public static class Notes {

		private final JdbcTemplate jdbc;

		Notes(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@ReadOnly
		public String node() {
			return this.jdbc.queryForObject(NODE, String.class);
		}

		@Transactional(readOnly = true)
		public String nodeInReadOnlyTransaction() {
			return this.jdbc.queryForObject(NODE, String.class);
		}

		@Transactional
		public long add(String text) {
			Long id = this.jdbc.queryForObject("INSERT INTO traced_note (text) VALUES (?) RETURNING id", Long.class,
					text);
			return (id != null) ? id : -1;
		}

		@Transactional(readOnly = true)
		public String find(long id) {
			return this.jdbc.queryForObject(
					"SELECT text || '@' || CAST(pg_is_in_recovery() AS text) FROM traced_note " + "WHERE id = ?",
					String.class, id);
		}

	}

	@RestController
	static class Endpoints {

		private final Notes notes;

		Endpoints(Notes notes) {
			this.notes = notes;
		}

		@GetMapping("/node")
		String node() {
			return this.notes.node();
		}

		@GetMapping("/node/transaction")
		String nodeInReadOnlyTransaction() {
			return this.notes.nodeInReadOnlyTransaction();
		}

		@PostMapping("/notes")
		Map<String, Long> add(@RequestParam String text) {
			return Map.of("id", this.notes.add(text));
		}

		@GetMapping("/notes")
		String find(@RequestParam long id) {
			return this.notes.find(id);
		}

	}

}
