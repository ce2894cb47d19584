package dev.pool.tenant;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.pool.InvalidTenantIdException;
import dev.pool.TenantDirectory;
import dev.pool.TenantScope;
import dev.pool.TenantUnavailableException;
import dev.pool.UnknownTenantException;
import dev.pool.autoconfigure.PoolAutoConfiguration;
import dev.pool.autoconfigure.PoolDrainAutoConfiguration;
import dev.pool.autoconfigure.PoolMetricsAutoConfiguration;
import dev.pool.autoconfigure.PoolTenantsAutoConfiguration;
import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.tenant.TenantPools;
import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.EmbeddedPostgresProperties;
import dev.pool.test.SharedEmbeddedPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tenancy without a web server: the programmatic scope, migrations at startup, the
 * connection cap, idle pools closed with their meters, the drain, and the checks at
 * startup.
 */
class TenantContextTests {

	private static final String DB = "tenant_context_test";

	private static final List<String> TENANTS = List.of("a", "b", "c", "m1", "m2");

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PoolAutoConfiguration.class, DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
				PoolTenantsAutoConfiguration.class, PoolDrainAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				PoolMetricsAutoConfiguration.class))
		.withPropertyValues(properties());

	private static String[] properties() {
		EmbeddedPostgresCluster cluster = SharedEmbeddedPostgres.withDatabase(DB);
		TenantDatabases.create(cluster, TENANTS.stream().map((tenant) -> "ctx_" + tenant).toList());
		List<String> properties = new ArrayList<>();
		EmbeddedPostgresProperties.of(cluster, DB).forEach((name, value) -> properties.add(name + "=" + value));
		properties.add("spring.application.name=ctx");
		properties.add("app.datasource.primary.maximum-pool-size=2");
		properties.add("app.datasource.tenants.mode=database");
		properties.add("app.datasource.tenants.url-template=" + cluster.primary().jdbcUrl("ctx_{tenant}"));
		properties.add("app.datasource.tenants.known=" + String.join(",", TENANTS));
		properties.add("app.datasource.tenants.connection-timeout=1s");
		return properties.toArray(String[]::new);
	}

	@Test
	void theScopeRunsWorkAsATenantAndRefusesBadOrUnknownIds() {
		this.runner.run((context) -> {
			TenantScope scope = context.getBean(TenantScope.class);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(scope.call("a", () -> jdbc.queryForObject("SELECT current_database()", String.class)))
				.isEqualTo("ctx_a");
			String nested = scope.call("a",
					() -> scope.call("b", () -> jdbc.queryForObject("SELECT current_database()", String.class)) + ","
							+ jdbc.queryForObject("SELECT current_database()", String.class));
			assertThat(nested).isEqualTo("ctx_b,ctx_a");
			assertThat(scope.current()).isEmpty();
			assertThat(jdbc.queryForObject("SELECT current_database()", String.class)).isEqualTo(DB);
			assertThatExceptionOfType(InvalidTenantIdException.class).isThrownBy(() -> scope.run("A'--", () -> {
			}));
			assertThatExceptionOfType(UnknownTenantException.class).isThrownBy(() -> scope.run("zz", () -> {
			}));
		});
	}

	@Test
	void migrateOnStartupMigratesEveryKnownTenantBeforeAnyConnection() {
		TenantDatabases.execute(SharedEmbeddedPostgres.cluster(), "ctx_m1", "DROP TABLE IF EXISTS notes");
		TenantDatabases.execute(SharedEmbeddedPostgres.cluster(), "ctx_m2", "DROP TABLE IF EXISTS notes");
		TenantDatabases.execute(SharedEmbeddedPostgres.cluster(), "ctx_m1",
				"DROP TABLE IF EXISTS flyway_schema_history");
		TenantDatabases.execute(SharedEmbeddedPostgres.cluster(), "ctx_m2",
				"DROP TABLE IF EXISTS flyway_schema_history");
		this.runner
			.withPropertyValues("app.datasource.tenants.known=m1,m2",
					"app.datasource.tenants.flyway.migrate-on-startup=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				for (String tenant : List.of("m1", "m2")) {
					assertThat(TenantDatabases.count(SharedEmbeddedPostgres.cluster(), "ctx_" + tenant,
							"SELECT count(*) FROM information_schema.tables WHERE table_name = 'notes'"))
						.isEqualTo(1);
				}
				assertThat(context.getBean(TenantPools.class).created()).isZero();
			});
	}

	@Test
	void maxTotalConnectionsCapsTheTenantPoolsAndABusyCapIsRefusedInTime() {
		this.runner
			.withPropertyValues("app.datasource.tenants.maximum-pool-size=2",
					"app.datasource.tenants.max-total-connections=4")
			.run((context) -> {
				TenantScope scope = context.getBean(TenantScope.class);
				DataSource dataSource = context.getBean(DataSource.class);
				TenantPools pools = context.getBean(TenantPools.class);
				Connection a = scope.call("a", () -> connect(dataSource));
				Connection b = scope.call("b", () -> connect(dataSource));
				try {
					// Two pools of two take the four: a third tenant waits, then is
					// refused, while a and b stay busy.
					assertThatIllegalStateException().isThrownBy(() -> scope.call("c", () -> connect(dataSource)))
						.withCauseInstanceOf(TenantUnavailableException.class);
					assertThat(pools.live()).isEqualTo(2);
				}
				finally {
					a.close();
				}
				// a's connection is back: its pool makes room for c.
				try (Connection c = scope.call("c", () -> connect(dataSource))) {
					assertThat(database(c)).isEqualTo("ctx_c");
				}
				finally {
					b.close();
				}
				assertThat(pools.live()).isEqualTo(2);
				assertThat(pools.evictions(false)).isEqualTo(1);
			});
	}

	@Test
	void aPoolUnusedForTheIdleTimeoutIsClosedAndItsMetersRemoved() {
		this.runner.withPropertyValues("app.datasource.tenants.pool-idle-timeout=1s").run((context) -> {
			TenantScope scope = context.getBean(TenantScope.class);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			scope.run("a", () -> jdbc.queryForObject("SELECT 1", Integer.class));
			assertThat(meters.find("hikaricp.connections").tag("pool", "tenant-a").gauge()).isNotNull();
			assertThat(meters.get("pool.tenants.live").gauge().value()).isEqualTo(1);
			await().atMost(10, TimeUnit.SECONDS)
				.untilAsserted(() -> assertThat(meters.get("pool.tenants.live").gauge().value()).isZero());
			assertThat(meters.find("hikaricp.connections").tag("pool", "tenant-a").gauge()).isNull();
			assertThat(meters.get("pool.tenants.evictions").tag("reason", "idle").functionCounter().count())
				.isEqualTo(1);
			assertThat(serverConnections("ctx:tenant-a")).isZero();
		});
	}

	@Test
	void theDrainClosesTenantPoolsAndExtraDatasources() {
		List<ManagedPool> open = new ArrayList<>();
		this.runner
			.withPropertyValues(
					"app.datasource.extra.reporting.url=" + SharedEmbeddedPostgres.cluster().primary().jdbcUrl(DB),
					"app.datasource.extra.reporting.username=" + SharedEmbeddedPostgres.cluster().username(),
					"app.datasource.extra.reporting.password=" + SharedEmbeddedPostgres.cluster().password())
			.run((context) -> {
				TenantScope scope = context.getBean(TenantScope.class);
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				scope.run("a", () -> jdbc.queryForObject("SELECT 1", Integer.class));
				scope.run("b", () -> jdbc.queryForObject("SELECT 1", Integer.class));
				new JdbcTemplate(context.getBean("reportingDataSource", DataSource.class)).queryForObject("SELECT 1",
						Integer.class);
				open.addAll(context.getBean(TenantPools.class).pools());
				assertThat(open).hasSize(2);
				assertThat(serverConnections("ctx:tenant-a")).isPositive();
				assertThat(serverConnections("ctx:reporting")).isPositive();
			});
		assertThat(open).allSatisfy((pool) -> assertThat(pool.dataSource().isClosed()).isTrue());
		await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
			assertThat(serverConnections("ctx:tenant-%")).isZero();
			assertThat(serverConnections("ctx:reporting")).isZero();
		});
	}

	@Test
	void aTenantDirectoryBeanDecidesWhichTenantsExist() {
		this.runner.withPropertyValues("app.datasource.tenants.known=")
			.withBean(TenantDirectory.class, () -> () -> List.of("b"))
			.run((context) -> {
				TenantScope scope = context.getBean(TenantScope.class);
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				assertThat(scope.call("b", () -> jdbc.queryForObject("SELECT current_database()", String.class)))
					.isEqualTo("ctx_b");
				assertThatExceptionOfType(UnknownTenantException.class).isThrownBy(() -> scope.run("a", () -> {
				}));
			});
	}

	@Test
	void badTenancySettingsFailAtStartupNamingTheProperty() {
		this.runner.withPropertyValues("app.datasource.tenants.url-template=").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("app.datasource.tenants.url-template");
		});
		this.runner.withPropertyValues("app.datasource.tenants.known=").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("app.datasource.tenants.known")
				.hasMessageContaining("TenantDirectory");
		});
		this.runner
			.withPropertyValues("app.datasource.tenants.maximum-pool-size=5",
					"app.datasource.tenants.max-total-connections=4")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("app.datasource.tenants.max-total-connections"));
		this.runner.withPropertyValues("app.datasource.tenants.known=ok,Not-Valid")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("app.datasource.tenants.known"));
		this.runner.withPropertyValues("app.datasource.tenants.flyway.locations=")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("app.datasource.tenants.flyway.locations"));
	}

	@Test
	void withoutAModeThereIsNoTenancy() {
		this.runner.withPropertyValues("app.datasource.tenants.mode=").run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(TenantScope.class).doesNotHaveBean(TenantPools.class);
			assertThat(context.getBean(JdbcTemplate.class).queryForObject("SELECT current_database()", String.class))
				.isEqualTo(DB);
		});
	}

	private static Connection connect(DataSource dataSource) {
		try {
			return dataSource.getConnection();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String database(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT current_database()")) {
			rs.next();
			return rs.getString(1);
		}
	}

	private static long serverConnections(String applicationName) {
		return TenantDatabases.count(SharedEmbeddedPostgres.cluster(), "postgres",
				"SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE '" + applicationName + "'");
	}

}
