package dev.pool.slice;

import javax.sql.DataSource;

import dev.pool.internal.routing.RoutingDataSource;
import dev.pool.test.EmbeddedPostgresProperties;
import dev.pool.test.SharedEmbeddedPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @JdbcTest} against the real primary and replicas routes as the application does.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
class JdbcSliceRoutingTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		EmbeddedPostgresProperties.register(registry, "slice_jdbc");
	}

	@Autowired
	DataSource dataSource;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void theReadWriteTestTransactionUsesThePrimary() {
		assertThat(this.dataSource).isInstanceOf(RoutingDataSource.class);
		assertThat(this.jdbc.queryForObject(SliceApp.NODE, String.class))
			.isEqualTo("false:" + SharedEmbeddedPostgres.cluster().primary().port());
	}

	@Test
	@Transactional(readOnly = true)
	void aReadOnlyTestTransactionReadsFromAReplica() {
		assertThat(this.jdbc.queryForObject(SliceApp.NODE, String.class)).startsWith("true:");
	}

}
