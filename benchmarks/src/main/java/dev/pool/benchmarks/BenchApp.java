package dev.pool.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.pool.ReadOnly;
import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.EmbeddedPostgresProperties;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * The starter in a minimal Spring Boot application, configured like the sample app.
 */
@SpringBootApplication
public class BenchApp {

	@Bean
	Reader reader(JdbcTemplate jdbc) {
		return new Reader(jdbc);
	}

	@Bean
	Writer writer(JdbcTemplate jdbc) {
		return new Writer(jdbc);
	}

	/**
	 * Starts the application on a database of the cluster with the sample app's pool
	 * settings.
	 */
	static ConfigurableApplicationContext start(EmbeddedPostgresCluster cluster, String database,
			Map<String, Object> extra) {
		return start(new java.util.LinkedHashMap<>(EmbeddedPostgresProperties.of(cluster, database)), extra);
	}

	/**
	 * Starts the application with the given connection properties and the sample app's
	 * pool settings.
	 */
	static ConfigurableApplicationContext start(Map<String, Object> connection, Map<String, Object> extra) {
		SpringApplicationBuilder builder = new SpringApplicationBuilder(BenchApp.class).web(WebApplicationType.NONE)
			.logStartupInfo(false);
		Map<String, Object> properties = new java.util.LinkedHashMap<>(connection);
		properties.put("app.datasource.primary.maximum-pool-size", 10);
		properties.put("app.datasource.primary.minimum-idle", 2);
		properties.put("app.datasource.primary.connection-timeout", "5s");
		properties.put("app.datasource.primary.leak-detection-threshold", "30s");
		properties.put("spring.main.banner-mode", "off");
		properties.put("logging.level.root", "WARN");
		properties.putAll(extra);
		return builder.properties(properties).run();
	}

	/**
	 * Writes on the primary: one row in a transaction or in autocommit mode, or a batch.
	 */
	public static class Writer {

		private static final int BATCH = 10;

		private final JdbcTemplate jdbc;

		Writer(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@Transactional
		public void insertInTransaction(int value) {
			this.jdbc.update("INSERT INTO bench_write (v) VALUES (?)", value);
		}

		public void insert(int value) {
			this.jdbc.update("INSERT INTO bench_write (v) VALUES (?)", value);
		}

		/** Ten rows in one JDBC batch, in autocommit mode. */
		public void insertBatch(int value) {
			List<Object[]> rows = new ArrayList<>(BATCH);
			for (int i = 0; i < BATCH; i++) {
				rows.add(new Object[] { value });
			}
			this.jdbc.batchUpdate("INSERT INTO bench_write (v) VALUES (?)", rows);
		}

		/** The insert in a transaction, answering which server took it. */
		@Transactional
		public int insertAndPort(int value) {
			this.jdbc.update("INSERT INTO bench_write (v) VALUES (?)", value);
			return this.jdbc.queryForObject("SELECT inet_server_port()", Integer.class);
		}

		public void createTable() {
			this.jdbc.execute("CREATE TABLE IF NOT EXISTS bench_write (id bigserial PRIMARY KEY, v int)");
		}

	}

	/** A read routed to a replica. */
	public static class Reader {

		private final JdbcTemplate jdbc;

		Reader(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@ReadOnly
		public int port() {
			return this.jdbc.queryForObject("SELECT inet_server_port()", Integer.class);
		}

	}

}
