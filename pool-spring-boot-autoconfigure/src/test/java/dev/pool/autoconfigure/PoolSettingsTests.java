package dev.pool.autoconfigure;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.autoconfigure.LoadBalancingTests.Reader;
import dev.pool.autoconfigure.LoadBalancingTests.ReaderConfiguration;
import dev.pool.internal.datasource.DataSourcePools;
import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.replica.ReplicaSet;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.test.EmbeddedPostgresCluster;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

class PoolSettingsTests {

	private static final String DB = "settings_test";

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(TestCluster.JDBC)
		.withUserConfiguration(ReaderConfiguration.class);

	@Test
	void replicasInheritCredentialsAndSettingsFromThePrimaryAndOverrideTheirOwn() {
		EmbeddedPostgresCluster cluster = TestCluster.cluster(DB);
		this.runner
			.withPropertyValues("app.datasource.primary.url=" + cluster.primary().jdbcUrl(DB),
					"app.datasource.primary.username=" + cluster.username(),
					"app.datasource.primary.password=" + cluster.password(),
					"app.datasource.primary.maximum-pool-size=3", "app.datasource.primary.minimum-idle=1",
					"app.datasource.primary.connection-timeout=4s", "app.datasource.primary.idle-timeout=30s",
					"app.datasource.primary.max-lifetime=10m", "app.datasource.primary.leak-detection-threshold=20s",
					"app.datasource.primary.data-source-properties.options=-c statement_timeout=7000",
					"app.datasource.replicas.replica-1.url=" + cluster.replica(1).jdbcUrl(DB),
					"app.datasource.replicas.replica-2.url=" + cluster.replica(2).jdbcUrl(DB),
					"app.datasource.replicas.replica-2.maximum-pool-size=5")
			.run((context) -> {
				HikariDataSource replica1 = context.getBean("replica-1DataSource", HikariDataSource.class);
				HikariDataSource replica2 = context.getBean("replica-2DataSource", HikariDataSource.class);
				assertThat(replica1.getUsername()).isEqualTo(cluster.username());
				assertThat(replica1.getMaximumPoolSize()).isEqualTo(3);
				assertThat(replica1.getMinimumIdle()).isEqualTo(1);
				assertThat(replica1.getConnectionTimeout()).isEqualTo(4000);
				assertThat(replica1.getIdleTimeout()).isEqualTo(30_000);
				assertThat(replica1.getMaxLifetime()).isEqualTo(600_000);
				assertThat(replica1.getLeakDetectionThreshold()).isEqualTo(20_000);
				assertThat(replica2.getMaximumPoolSize()).isEqualTo(5);
				assertThat(replica2.getConnectionTimeout()).isEqualTo(4000);
				// The cluster demands a password over TCP: these connections prove the
				// credentials were inherited,
				// and the driver properties too (statement_timeout set through options).
				for (HikariDataSource replica : new HikariDataSource[] { replica1, replica2 }) {
					try (Connection connection = replica.getConnection();
							Statement statement = connection.createStatement();
							ResultSet rs = statement.executeQuery(
									"SELECT pg_is_in_recovery(), current_setting('statement_timeout'), application_name "
											+ "FROM pg_stat_activity WHERE pid = pg_backend_pid()")) {
						rs.next();
						assertThat(rs.getBoolean(1)).isTrue();
						assertThat(rs.getString(2)).isEqualTo("7s");
						assertThat(rs.getString(3)).isEqualTo("app:" + replica.getPoolName());
					}
				}
			});
	}

	@Test
	void connectionsAreTaggedWithApplicationAndPoolNameUnlessTheUserSetOne() {
		this.runner
			.withPropertyValues(TestCluster.properties(DB, "spring.application.name=shop",
					"app.datasource.replicas.replica-2.data-source-properties.ApplicationName=custom"))
			.run((context) -> {
				assertThat(applicationName(context.getBean("primaryDataSource", HikariDataSource.class)))
					.isEqualTo("shop:primary");
				assertThat(applicationName(context.getBean("replica-1DataSource", HikariDataSource.class)))
					.isEqualTo("shop:replica-1");
				assertThat(applicationName(context.getBean("replica-2DataSource", HikariDataSource.class)))
					.isEqualTo("custom");
			});
	}

	@Test
	void anUnreachableReplicaDoesNotStopStartup() {
		EmbeddedPostgresCluster cluster = TestCluster.cluster(DB);
		this.runner.withPropertyValues("app.datasource.primary.url=" + cluster.primary().jdbcUrl(DB),
				"app.datasource.primary.username=" + cluster.username(),
				"app.datasource.primary.password=" + cluster.password(), "app.datasource.primary.connection-timeout=1s",
				"app.datasource.replicas.replica-1.url=jdbc:postgresql://127.0.0.1:1/" + DB)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(TestCluster.node(context.getBean(JdbcTemplate.class)).isPrimary()).isTrue();
			});
	}

	@Test
	void aPrimaryAllowedToStartUnreachableDoesNotDelayStartup() {
		long start = System.nanoTime();
		this.runner
			.withPropertyValues("app.datasource.primary.url=jdbc:postgresql://127.0.0.1:1/" + DB,
					"app.datasource.primary.username=someone", "app.datasource.primary.connection-timeout=5s",
					"app.datasource.primary.initialization-fail-timeout=-1")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat((System.nanoTime() - start) / 1_000_000).as("startup ms, connection-timeout 5 s").isLessThan(4000);
	}

	@Test
	void withoutReplicasEverythingGoesToThePrimaryEvenWithFallbackOff() {
		EmbeddedPostgresCluster cluster = TestCluster.cluster(DB);
		this.runner
			.withPropertyValues("app.datasource.primary.url=" + cluster.primary().jdbcUrl(DB),
					"app.datasource.primary.username=" + cluster.username(),
					"app.datasource.primary.password=" + cluster.password(),
					"app.datasource.routing.fallback-to-primary=false")
			.run((context) -> {
				assertThat(context.getBean(LiveTopology.class).current().pools()).extracting(ManagedPool::name)
					.containsExactly("primary");
				assertThat(context.getBean(ReplicaSet.class).states()).isEmpty();
				assertThat(context.getBean(Reader.class).read().isPrimary()).isTrue();
				TransactionTemplate readOnlyTx = new TransactionTemplate(
						context.getBean(org.springframework.transaction.PlatformTransactionManager.class));
				readOnlyTx.setReadOnly(true);
				assertThat(readOnlyTx.execute((status) -> TestCluster.node(context.getBean(JdbcTemplate.class)))
					.isPrimary()).isTrue();
			});
	}

	private static String applicationName(HikariDataSource pool) throws Exception {
		try (Connection connection = pool.getConnection();
				Statement statement = connection.createStatement();
				ResultSet rs = statement
					.executeQuery("SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()")) {
			rs.next();
			return rs.getString(1);
		}
	}

}
