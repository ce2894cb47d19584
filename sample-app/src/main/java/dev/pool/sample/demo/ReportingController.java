package dev.pool.sample.demo;

import java.util.Map;

import javax.sql.DataSource;

import dev.pool.sample.dialect.SampleSql;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /reports/summary} on the {@code reporting} extra datasource: its own small pool,
 * so a heavy report never takes the connections requests need.
 */
@RestController
public class ReportingController {

	private final JdbcTemplate reporting;

	private final SampleSql sql;

	public ReportingController(@Qualifier("reportingDataSource") DataSource reporting, SampleSql sql) {
		this.reporting = new JdbcTemplate(reporting);
		this.sql = sql;
	}

	@GetMapping("/reports/summary")
	public Map<String, Object> summary() {
		return this.reporting.queryForMap("SELECT count(*) AS accounts, coalesce(sum(balance), 0) AS total, "
				+ this.sql.connection() + " AS connection FROM account");
	}

}
