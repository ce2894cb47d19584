package dev.pool.jdk21;

import java.util.Map;

import dev.pool.ReadOnly;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A web application whose requests hold a connection for a moment, on the primary or a
 * replica.
 */
@SpringBootApplication
class VirtualThreadsApp {

	@Bean
	Work work(JdbcTemplate jdbc) {
		return new Work(jdbc);
	}

	/** Database work that holds its connection for 20 ms. */
	static class Work {

		private final JdbcTemplate jdbc;

		Work(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@Transactional
		public String write() {
			return this.jdbc.queryForObject("SELECT CAST(pg_sleep(0.02) AS text) || inet_server_port()", String.class);
		}

		@ReadOnly
		public String read() {
			return this.jdbc.queryForObject("SELECT CAST(pg_sleep(0.02) AS text) || inet_server_port()", String.class);
		}

	}

	@RestController
	static class Endpoints {

		private final Work work;

		Endpoints(Work work) {
			this.work = work;
		}

		@GetMapping("/write")
		Map<String, String> write() {
			return Map.of("thread", Thread.currentThread().toString(), "node", this.work.write());
		}

		@GetMapping("/read")
		Map<String, String> read() {
			return Map.of("thread", Thread.currentThread().toString(), "node", this.work.read());
		}

	}

}
