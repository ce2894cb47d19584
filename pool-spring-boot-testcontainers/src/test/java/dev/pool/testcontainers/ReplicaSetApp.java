package dev.pool.testcontainers;

import dev.pool.ReadOnly;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/** A small service on the starter: reads marked read-only, writes not. */
@SpringBootConfiguration
@EnableAutoConfiguration
class ReplicaSetApp {

	@Bean
	Reads reads(JdbcTemplate jdbc) {
		return new Reads(jdbc);
	}

	static class Reads {

		private final JdbcTemplate jdbc;

		Reads(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@ReadOnly
		String readOnly() {
			return Nodes.served(this.jdbc);
		}

		@Transactional(readOnly = true)
		String readOnlyTransaction() {
			return Nodes.served(this.jdbc);
		}

		String write() {
			return Nodes.served(this.jdbc);
		}

	}

}
