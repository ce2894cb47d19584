package dev.pool.slice;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.EmbeddedPostgresProperties;
import dev.pool.test.SharedEmbeddedPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jdbc.test.autoconfigure.DataJdbcTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @DataJdbcTest} against the real primary and replicas routes as the application
 * does.
 */
@DataJdbcTest(properties = "spring.flyway.enabled=false")
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
class DataJdbcSliceRoutingTests {

	private static final String DB = "slice_data_jdbc";

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		EmbeddedPostgresProperties.register(registry, DB);
	}

	@BeforeAll
	static void schema() throws SQLException {
		EmbeddedPostgresCluster cluster = SharedEmbeddedPostgres.withDatabase(DB);
		try (Connection connection = cluster.primary().connect(DB);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE IF NOT EXISTS label (id bigserial PRIMARY KEY, text text)");
			statement.execute("INSERT INTO label (text) VALUES ('replicated')");
		}
		cluster.awaitReplication();
	}

	@Autowired
	LabelRepository labels;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void repositoryWritesGoToThePrimary() {
		Label saved = this.labels.save(new Label(null, "written"));
		assertThat(this.labels.findById(saved.id())).isPresent();
		assertThat(this.jdbc.queryForObject(SliceApp.NODE, String.class))
			.isEqualTo("false:" + SharedEmbeddedPostgres.cluster().primary().port());
	}

	@Test
	@Transactional(readOnly = true)
	void repositoryReadsInAReadOnlyTestTransactionComeFromAReplica() {
		assertThat(this.labels.findAll()).extracting(Label::text).contains("replicated");
		assertThat(this.jdbc.queryForObject(SliceApp.NODE, String.class)).startsWith("true:");
	}

}
