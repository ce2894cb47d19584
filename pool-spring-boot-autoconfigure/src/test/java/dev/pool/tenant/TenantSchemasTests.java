package dev.pool.tenant;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import com.zaxxer.hikari.HikariDataSource;
import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.EmbeddedPostgresProperties;
import dev.pool.test.SharedEmbeddedPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mode schema on one database with five tenant schemas, a tenant required on every
 * request, and a {@code reporting} extra datasource beside the primary and replicas.
 */
@SpringBootTest(classes = TenantApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TenantSchemasTests {

	private static final String DB = "tenant_schemas_test";

	private static final String REPORTING_DB = "tenant_schemas_reporting";

	private static final List<String> TENANTS = List.of("s1", "s2", "s3", "s4", "s5");

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		EmbeddedPostgresCluster cluster = SharedEmbeddedPostgres.withDatabase(DB);
		TenantDatabases.create(cluster, List.of(REPORTING_DB));
		EmbeddedPostgresProperties.register(registry, DB);
		registry.add("spring.application.name", () -> "schemas-it");
		// One connection: every tenant's request and every request without a tenant get
		// the same server session, so a schema left behind would show.
		registry.add("app.datasource.primary.maximum-pool-size", () -> "1");
		// Boot's own Flyway (db/migration on the primary) holds two connections at once.
		registry.add("spring.flyway.enabled", () -> "false");
		registry.add("app.datasource.primary.connection-timeout", () -> "10s");
		registry.add("app.datasource.tenants.mode", () -> "schema");
		registry.add("app.datasource.tenants.known", () -> String.join(",", TENANTS));
		registry.add("app.datasource.tenants.require-tenant", () -> "true");
		registry.add("app.datasource.extra.reporting.url", () -> cluster.primary().jdbcUrl(REPORTING_DB));
		registry.add("app.datasource.extra.reporting.username", cluster::username);
		registry.add("app.datasource.extra.reporting.password", cluster::password);
		registry.add("app.datasource.extra.reporting.maximum-pool-size", () -> "2");
		registry.add("management.endpoints.web.exposure.include", () -> "health,pools");
		registry.add("management.endpoint.health.show-details", () -> "always");
	}

	@LocalServerPort
	int port;

	@Autowired
	DataSource dataSource;

	@Autowired
	@Qualifier("reportingDataSource")
	DataSource reporting;

	@Autowired
	@Qualifier("primaryDataSource")
	HikariDataSource primary;

	@Autowired
	MeterRegistry meters;

	@Test
	@Order(1)
	void eachTenantIsMigratedOnFirstUseAndSeesOnlyItsOwnSchemaWhichIsResetOnReturn() throws Exception {
		assertThat(schemas()).isZero();
		for (int round = 0; round < 2; round++) {
			for (String tenant : TENANTS) {
				HttpResponse<String> response = TenantHttp.post(this.port, "/notes?body=" + tenant + ":" + round,
						tenant);
				assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
				DocumentContext json = JsonPath.parse(response.body());
				assertThat(json.read("$.database", String.class)).isEqualTo(DB);
				assertThat(json.read("$.schema", String.class)).isEqualTo("tenant_" + tenant);
				List<String> bodies = json.read("$.bodies");
				assertThat(bodies).hasSize(round + 1).allSatisfy((body) -> assertThat(body).startsWith(tenant + ":"));
				// The pool's only connection, right after the tenant gave it back.
				try (Connection connection = this.dataSource.getConnection();
						Statement statement = connection.createStatement();
						ResultSet rs = statement
							.executeQuery("SELECT current_schema(), current_setting('search_path')")) {
					rs.next();
					assertThat(rs.getString(1)).isEqualTo("public");
					assertThat(rs.getString(2)).isEqualTo("\"$user\", public");
				}
			}
		}
		assertThat(schemas()).isEqualTo(5);
		assertThat(this.primary.getHikariPoolMXBean().getTotalConnections()).isEqualTo(1);
	}

	@Test
	@Order(2)
	void aRequestWithoutATenantIs400AndBadOrUnknownIdsAre400Or404() {
		HttpResponse<String> none = TenantHttp.get(this.port, "/where", null);
		assertThat(none.statusCode()).isEqualTo(400);
		assertThat(none.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(TenantHttp.get(this.port, "/where", "s1; SET search_path TO public").statusCode()).isEqualTo(400);
		assertThat(TenantHttp.get(this.port, "/where", "S1").statusCode()).isEqualTo(400);
		HttpResponse<String> unknown = TenantHttp.get(this.port, "/where", "s6");
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.body()).doesNotContain("tenant_").doesNotContain("s6").doesNotContain("jdbc:");
		// Actuator needs no tenant.
		assertThat(TenantHttp.get(this.port, "/actuator/health", null).statusCode()).isEqualTo(200);
	}

	@Test
	@Order(3)
	void theReportingDatasourceIsItsOwnPoolNeverRoutedAndObservedLikeTheOthers() throws Exception {
		assertThat(this.dataSource).isNotSameAs(this.reporting);
		JdbcTemplate jdbc = new JdbcTemplate(this.reporting);
		assertThat(jdbc.queryForObject("SELECT current_database()", String.class)).isEqualTo(REPORTING_DB);
		assertThat(jdbc.queryForObject("SELECT pg_is_in_recovery()", Boolean.class)).isFalse();
		assertThat(jdbc.queryForObject("SELECT current_setting('application_name')", String.class))
			.isEqualTo("schemas-it:reporting");
		DocumentContext health = JsonPath.parse(TenantHttp.get(this.port, "/actuator/health", null).body());
		assertThat(health.read("$.components.db.details.reporting.status", String.class)).isEqualTo("UP");
		assertThat(health.read("$.components.db.details.reporting.role", String.class)).isEqualTo("extra");
		assertThat(health.read("$.components.db.details.tenants.mode", String.class)).isEqualTo("schema");
		DocumentContext pools = JsonPath.parse(TenantHttp.get(this.port, "/actuator/pools", null).body());
		Map<String, Object> reporting = pools.read("$.pools.reporting");
		assertThat(reporting).containsEntry("role", "extra").doesNotContainKey("routing");
		assertThat(pools.read("$.pools.reporting.settings.maximumPoolSize", Integer.class)).isEqualTo(2);
		assertThat(pools.read("$.tenants.mode", String.class)).isEqualTo("schema");
		assertThat(this.meters.find("hikaricp.connections.max").tag("pool", "reporting").gauge()).isNotNull();
		assertThat(this.meters.find("pool.exhausted").tag("pool", "reporting").functionCounter()).isNotNull();
		assertThat(this.meters.find("pool.routing.decisions").tag("target", "reporting").functionCounters()).isEmpty();
	}

	private static long schemas() {
		return TenantDatabases.count(SharedEmbeddedPostgres.cluster(), DB,
				"SELECT count(*) FROM information_schema.tables WHERE table_schema LIKE 'tenant_s_' "
						+ "AND table_name = 'notes'");
	}

}
