package dev.pool.slice;

import javax.sql.DataSource;

import dev.pool.internal.datasource.DataSourcePools;
import dev.pool.internal.routing.RoutingDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A slice with Boot's default test database (replaced by an embedded one): the starter
 * steps aside entirely, so no pool connects to the configured database, here one that
 * does not exist.
 */
@JdbcTest(properties = { "app.datasource.primary.url=jdbc:postgresql://127.0.0.1:1/unreachable",
		"app.datasource.replicas.replica-1.url=jdbc:postgresql://127.0.0.1:1/unreachable" })
class DefaultTestDatabaseSliceTests {

	@Autowired
	ApplicationContext context;

	@Autowired
	DataSource dataSource;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void theSliceRunsOnBootsEmbeddedTestDatabaseWithoutThePools() {
		assertThat(this.dataSource).isInstanceOf(EmbeddedDatabase.class);
		assertThat(this.context.getBeanNamesForType(RoutingDataSource.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(DataSourcePools.class)).isEmpty();
		assertThat(this.jdbc.queryForObject("SELECT H2VERSION()", String.class)).isNotBlank();
	}

}
