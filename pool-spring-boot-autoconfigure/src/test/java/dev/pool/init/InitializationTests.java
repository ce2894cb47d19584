package dev.pool.init;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.EmbeddedPostgresProperties;
import dev.pool.test.PostgresNode;
import dev.pool.test.SharedEmbeddedPostgres;
import liquibase.integration.spring.SpringLiquibase;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Everything Boot initializes still initializes, on the primary, with replicas
 * configured: a script, DDL or migration that reached a replica would fail there
 * (read-only), so a clean start plus the objects on the primary (and replicated to the
 * replicas) prove where it ran.
 */
class InitializationTests {

	@Test
	void sqlInitScriptsInAlwaysModeRunOnThePrimary() throws SQLException {
		String db = "init_scripts";
		try (ConfigurableApplicationContext context = start(db, "spring.sql.init.mode=always",
				"spring.sql.init.schema-locations=classpath:db/init/schema.sql",
				"spring.sql.init.data-locations=classpath:db/init/data.sql")) {
			// The scripts ran with a replica configured, and still only on the primary.
			assertThat(context.getBean("replica-1DataSource", HikariDataSource.class).getJdbcUrl())
				.contains(":" + cluster(db).replica(1).port() + "/");
		}
		assertThat(queryOn(cluster(db).primary(), db, "SELECT note FROM initialized WHERE id = 1"))
			.isEqualTo("from data.sql");
		cluster(db).awaitReplication();
		assertThat(queryOn(cluster(db).replica(1), db, "SELECT note FROM initialized WHERE id = 1"))
			.isEqualTo("from data.sql");
	}

	@Test
	void sqlInitScriptsInEmbeddedModeSkipAPostgresPrimaryAsBootDoes() throws SQLException {
		String db = "init_embedded_mode";
		try (ConfigurableApplicationContext context = start(db,
				"spring.sql.init.schema-locations=classpath:db/init/schema.sql")) {
			assertThat(queryOn(cluster(db).primary(), db, "SELECT to_regclass('initialized')::text")).isNull();
		}
	}

	@Test
	void sqlInitCredentialsConnectToThePrimaryAsThatUser() throws SQLException {
		String db = "init_credentials";
		EmbeddedPostgresCluster cluster = cluster(db);
		try (Connection connection = cluster.primary().connect("postgres");
				Statement statement = connection.createStatement()) {
			statement.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'init_user') "
					+ "THEN CREATE ROLE init_user LOGIN PASSWORD 'init-secret'; END IF; END $$");
			statement.execute("ALTER DATABASE " + db + " OWNER TO init_user");
		}
		try (Connection connection = cluster.primary().connect(db);
				Statement statement = connection.createStatement()) {
			statement.execute("ALTER SCHEMA public OWNER TO init_user");
		}
		try (ConfigurableApplicationContext context = start(db, "spring.sql.init.mode=always",
				"spring.sql.init.schema-locations=classpath:db/init/schema.sql", "spring.sql.init.username=init_user",
				"spring.sql.init.password=init-secret")) {
			assertThat(
					queryOn(cluster.primary(), db, "SELECT tableowner FROM pg_tables WHERE tablename = 'initialized'"))
				.isEqualTo("init_user");
		}
	}

	@Test
	void hibernateDdlAutoCreatesTheSchemaOnThePrimary() throws SQLException {
		String db = "init_hibernate";
		try (ConfigurableApplicationContext context = start(db, "spring.jpa.hibernate.ddl-auto=create")) {
			// ddl-auto=create drops the schema again only with create-drop: checked while
			// the application runs all the same.
			assertThat(queryOn(cluster(db).primary(), db, "SELECT to_regclass('note')::text")).isEqualTo("note");
		}
	}

	@Test
	void liquibaseMigratesThroughThePrimaryPool() throws SQLException {
		String db = "init_liquibase";
		try (ConfigurableApplicationContext context = start(db, "spring.liquibase.enabled=true",
				"spring.liquibase.change-log=classpath:db/liquibase/changelog.yaml")) {
			assertThat(context.getBean(SpringLiquibase.class).getDataSource())
				.isSameAs(context.getBean("primaryDataSource"));
		}
		assertThat(queryOn(cluster(db).primary(), db, "SELECT count(*)::text FROM databasechangelog")).isEqualTo("1");
		cluster(db).awaitReplication();
		assertThat(queryOn(cluster(db).replica(1), db, "SELECT to_regclass('migrated')::text")).isEqualTo("migrated");
	}

	private static EmbeddedPostgresCluster cluster(String db) {
		return SharedEmbeddedPostgres.withDatabase(db);
	}

	private static ConfigurableApplicationContext start(String db, String... properties) {
		// Command-line arguments, so they win over the module's test
		// application.properties.
		List<String> args = new ArrayList<>();
		EmbeddedPostgresProperties.of(cluster(db), db).forEach((name, value) -> args.add("--" + name + "=" + value));
		args.add("--app.datasource.primary.maximum-pool-size=2");
		args.add("--app.datasource.drain.timeout=0s");
		// Flyway is on this classpath too; JpaFlywayRoutingTests covers it.
		args.add("--spring.flyway.enabled=false");
		for (String property : properties) {
			args.add("--" + property);
		}
		return new SpringApplicationBuilder(InitApp.class).web(WebApplicationType.NONE)
			.run(args.toArray(String[]::new));
	}

	private static String queryOn(PostgresNode node, String db, String sql) throws SQLException {
		try (Connection connection = node.connect(db);
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(sql)) {
			rs.next();
			return rs.getString(1);
		}
	}

	@SpringBootApplication
	static class InitApp {

	}

}
