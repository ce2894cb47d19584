package dev.pool.sample.demo;

import java.util.Map;

import dev.pool.sample.dialect.SampleSql;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A deliberately slow report that holds a primary connection for a few seconds, to show
 * what pool exhaustion looks like (503 + Retry-After) without a load generator.
 */
@RestController
public class SlowReportController {

	private static final int MAX_SECONDS = 30;

	private final JdbcClient jdbc;

	private final SampleSql sql;

	public SlowReportController(JdbcClient jdbc, SampleSql sql) {
		this.jdbc = jdbc;
		this.sql = sql;
	}

	@GetMapping("/reports/slow")
	@Transactional
	public Map<String, Object> slow(@RequestParam(defaultValue = "5") int seconds) {
		int held = Math.max(0, Math.min(seconds, MAX_SECONDS));
		this.jdbc.sql(this.sql.sleep()).param(held).query().singleValue();
		long accounts = this.jdbc.sql("SELECT count(*) FROM account").query(Long.class).single();
		return Map.of("heldSeconds", held, "accounts", accounts);
	}

}
