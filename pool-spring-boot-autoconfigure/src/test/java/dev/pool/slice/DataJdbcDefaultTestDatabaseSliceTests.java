package dev.pool.slice;

import javax.sql.DataSource;

import dev.pool.internal.datasource.DataSourcePools;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jdbc.test.autoconfigure.DataJdbcTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @DataJdbcTest} with Boot's default test database: the starter steps aside, so
 * the pools never try the configured (here unreachable) database.
 */
@DataJdbcTest(properties = { "spring.flyway.enabled=false",
		"app.datasource.primary.url=jdbc:postgresql://127.0.0.1:1/unreachable" })
class DataJdbcDefaultTestDatabaseSliceTests {

	@Autowired
	ApplicationContext context;

	@Autowired
	DataSource dataSource;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void theSliceRunsOnBootsEmbeddedTestDatabaseWithoutThePools() {
		assertThat(this.dataSource).isInstanceOf(EmbeddedDatabase.class);
		assertThat(this.context.getBeanNamesForType(DataSourcePools.class)).isEmpty();
		this.jdbc.execute("CREATE TABLE \"label\" (id bigint AUTO_INCREMENT PRIMARY KEY, text varchar(20))");
		assertThat(this.context.getBean(LabelRepository.class).save(new Label(null, "embedded")).id()).isNotNull();
	}

}
