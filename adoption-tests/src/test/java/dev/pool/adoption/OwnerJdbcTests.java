package dev.pool.adoption;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

@JdbcTest
class OwnerJdbcTests {

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void theSchemaAndDataScriptsRan() {
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM owners", Integer.class)).isEqualTo(4);
	}

}
