package dev.pool.autoconfigure;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.internal.datasource.DataSourcePools;
import dev.pool.internal.routing.RoutingDataSource;
import dev.pool.ReplicaConnectionDetails;
import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.PostgresNode;
import dev.pool.internal.replica.ReplicaSet;
import dev.pool.internal.topology.ReplicaNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Where the primary comes from, with Boot's precedence (connection details, then
 * properties, then the embedded database Boot would create), and backing off when the
 * application brings its own DataSource.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConnectionSourcesTests {

	private static final String DB = "sources_test";

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(TestCluster.JDBC);

	@Test
	void aJdbcConnectionDetailsBeanWinsOverSpringDatasourceUrl() {
		EmbeddedPostgresCluster cluster = TestCluster.cluster(DB);
		this.runner.withUserConfiguration(ConnectionDetailsConfiguration.class)
			.withPropertyValues("app.datasource.replicas.replica-1.url=" + cluster.replica(1).jdbcUrl(DB),
					"spring.datasource.url=jdbc:postgresql://127.0.0.1:1/ignored")
			.run((context) -> {
				HikariDataSource primary = context.getBean("primaryDataSource", HikariDataSource.class);
				assertThat(primary.getJdbcUrl()).isEqualTo(cluster.primary().jdbcUrl(DB));
				assertThat(TestCluster.node(context.getBean(JdbcTemplate.class)).isPrimary()).isTrue();
				// Replica credentials come from the connection details too.
				assertThat(TestCluster.node(context.getBean("replica-1DataSource", DataSource.class)).isReplica())
					.isTrue();
			});
	}

	@Test
	void aJdbcConnectionDetailsBeanWinsOverAppDatasourcePrimaryUrlAsBootsOwnPropertiesDo() {
		EmbeddedPostgresCluster cluster = TestCluster.cluster(DB);
		this.runner.withUserConfiguration(ConnectionDetailsConfiguration.class)
			.withPropertyValues("app.datasource.primary.url=jdbc:postgresql://127.0.0.1:1/ignored",
					"app.datasource.primary.username=ignored", "app.datasource.primary.maximum-pool-size=3")
			.run((context) -> {
				HikariDataSource primary = context.getBean("primaryDataSource", HikariDataSource.class);
				assertThat(primary.getJdbcUrl()).isEqualTo(cluster.primary().jdbcUrl(DB));
				assertThat(primary.getUsername()).isEqualTo(cluster.username());
				// Pool settings still come from app.datasource.primary.
				assertThat(primary.getMaximumPoolSize()).isEqualTo(3);
				assertThat(TestCluster.node(context.getBean(JdbcTemplate.class)).isPrimary()).isTrue();
			});
	}

	@Test
	void aReplicaConnectionDetailsBeanWinsOverTheReplicasUrlPropertyAndKeepsItsPoolSettings(CapturedOutput output) {
		EmbeddedPostgresCluster cluster = TestCluster.cluster(DB);
		this.runner.withBean(ReplicaConnectionDetails.class, () -> replicaDetails("replica-1", cluster.replica(1)))
			.withPropertyValues(TestCluster.properties(DB,
					"app.datasource.replicas.replica-1.url=jdbc:postgresql://127.0.0.1:1/ignored",
					"app.datasource.replicas.replica-1.maximum-pool-size=2"))
			.run((context) -> {
				HikariDataSource replica = context.getBean("replica-1DataSource", HikariDataSource.class);
				assertThat(replica.getJdbcUrl()).isEqualTo(cluster.replica(1).jdbcUrl(DB));
				assertThat(replica.getMaximumPoolSize()).isEqualTo(2);
				TestCluster.Node node = TestCluster.node(replica);
				assertThat(node.isReplica()).isTrue();
				assertThat(node.port()).isEqualTo(cluster.replica(1).port());
			});
		assertThat(output).contains("Replica 'replica-1' comes from a ReplicaConnectionDetails bean")
			.contains("app.datasource.replicas.replica-1.url is not used");
	}

	@Test
	void withoutReplicaConnectionDetailsTheReplicasUrlPropertyIsUsed() {
		EmbeddedPostgresCluster cluster = TestCluster.cluster(DB);
		this.runner
			.withPropertyValues(TestCluster.properties(DB,
					"app.datasource.replicas.replica-1.url=" + cluster.replica(1).jdbcUrl(DB)))
			.run((context) -> {
				HikariDataSource replica = context.getBean("replica-1DataSource", HikariDataSource.class);
				assertThat(replica.getJdbcUrl()).isEqualTo(cluster.replica(1).jdbcUrl(DB));
				assertThat(TestCluster.node(replica).port()).isEqualTo(cluster.replica(1).port());
			});
	}

	@Test
	void replicasNamedOnlyByConnectionDetailsGetPoolsBesideThePropertiesReplicas() {
		EmbeddedPostgresCluster cluster = TestCluster.cluster(DB);
		// The primary from a JdbcConnectionDetails bean, one replica from properties, one
		// from details: all three sources meet.
		this.runner.withUserConfiguration(ConnectionDetailsConfiguration.class)
			.withBean(ReplicaConnectionDetails.class, () -> replicaDetails("from-details", cluster.replica(2)))
			.withPropertyValues("app.datasource.replicas.from-properties.url=" + cluster.replica(1).jdbcUrl(DB))
			.run((context) -> {
				assertThat(context.getBean(ReplicaSet.class).states()).extracting(ReplicaNode::name)
					.containsExactly("from-properties", "from-details");
				// Bean names are fixed before connection details exist: a replica only
				// they
				// name is reached through the pools.
				assertThat(context).doesNotHaveBean("from-detailsDataSource");
				HikariDataSource fromDetails = context.getBean(DataSourcePools.class).dataSource("from-details");
				// No credentials in the details: the primary's, as for a replica set by
				// URL.
				assertThat(fromDetails.getUsername()).isEqualTo(cluster.username());
				assertThat(TestCluster.node(fromDetails).port()).isEqualTo(cluster.replica(2).port());
				assertThat(TestCluster.node(context.getBean("from-propertiesDataSource", DataSource.class)).port())
					.isEqualTo(cluster.replica(1).port());
			});
	}

	@Test
	void oneReplicaNamedByTwoConnectionDetailsBeansFailsAtStartup() {
		EmbeddedPostgresCluster cluster = TestCluster.cluster(DB);
		this.runner.withUserConfiguration(ConnectionDetailsConfiguration.class)
			.withBean("first", ReplicaConnectionDetails.class, () -> replicaDetails("twice", cluster.replica(1)))
			.withBean("second", ReplicaConnectionDetails.class, () -> replicaDetails("twice", cluster.replica(2)))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("app.datasource.replicas.twice")
				.hasMessageContaining("two ReplicaConnectionDetails beans name replica 'twice'"));
	}

	@Test
	void aReplicaConnectionDetailsNameTakenByAnExtraDatasourceFailsAtStartup() {
		EmbeddedPostgresCluster cluster = TestCluster.cluster(DB);
		this.runner.withUserConfiguration(ConnectionDetailsConfiguration.class)
			.withBean(ReplicaConnectionDetails.class, () -> replicaDetails("reporting", cluster.replica(1)))
			.withPropertyValues("app.datasource.extra.reporting.url=" + cluster.primary().jdbcUrl(DB))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("app.datasource.replicas.reporting")
				.hasMessageContaining("taken by an extra datasource"));
	}

	private static ReplicaConnectionDetails replicaDetails(String name, PostgresNode node) {
		// No credentials: the primary's.
		return ReplicaConnectionDetails.of(name, node.jdbcUrl(DB), null, null);
	}

	@Test
	void withoutConnectionDetailsAppDatasourcePrimaryUrlWinsOverSpringDatasourceUrl() {
		EmbeddedPostgresCluster cluster = TestCluster.cluster(DB);
		this.runner
			.withPropertyValues("app.datasource.primary.url=" + cluster.primary().jdbcUrl(DB),
					"app.datasource.primary.username=" + cluster.username(),
					"app.datasource.primary.password=" + cluster.password(),
					"spring.datasource.url=jdbc:postgresql://127.0.0.1:1/ignored")
			.run((context) -> assertThat(context.getBean("primaryDataSource", HikariDataSource.class).getJdbcUrl())
				.isEqualTo(cluster.primary().jdbcUrl(DB)));
	}

	@Test
	void withNoUrlAnywhereThePrimaryIsTheEmbeddedDatabaseBootWouldCreate(CapturedOutput output) {
		this.runner.run((context) -> {
			HikariDataSource primary = context.getBean("primaryDataSource", HikariDataSource.class);
			// generate-unique-name is on by default: a random name, as Boot does.
			assertThat(primary.getJdbcUrl())
				.matches("jdbc:h2:mem:[0-9a-f-]{36};DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE");
			assertThat(primary.getUsername()).isEqualTo("sa");
			assertThat(context.getBean(ReplicaSet.class).states()).isEmpty();
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			jdbc.execute("CREATE TABLE adopted (id int)");
			jdbc.update("INSERT INTO adopted VALUES (1)");
			assertThat(jdbc.queryForObject("SELECT count(*) FROM adopted", Integer.class)).isOne();
			assertThat(jdbc.queryForObject("SELECT H2VERSION()", String.class)).isNotBlank();
		});
		assertThat(output).contains("No primary database is configured")
			.contains("using an embedded H2 database, as Spring Boot would (jdbc:h2:mem:");
	}

	@Test
	void theEmbeddedDatabaseFollowsBootsNamingAndCredentialProperties() {
		this.runner
			.withPropertyValues("spring.datasource.generate-unique-name=false", "spring.datasource.name=shop",
					"spring.datasource.username=owner", "spring.datasource.password=s3cret")
			.run((context) -> {
				HikariDataSource primary = context.getBean("primaryDataSource", HikariDataSource.class);
				assertThat(primary.getJdbcUrl()).startsWith("jdbc:h2:mem:shop;");
				assertThat(primary.getUsername()).isEqualTo("owner");
				assertThat(context.getBean(JdbcTemplate.class).queryForObject("SELECT CURRENT_USER", String.class))
					.isEqualToIgnoringCase("owner");
			});
	}

	@Test
	void anEmbeddedDatabaseWithAGeneratedNameIsDroppedWhenThePoolsClose() throws Exception {
		String[] url = new String[1];
		this.runner.run((context) -> {
			url[0] = context.getBean("primaryDataSource", HikariDataSource.class).getJdbcUrl();
			context.getBean(JdbcTemplate.class).execute("CREATE TABLE kept (id int)");
		});
		// As DevTools does on a restart: the next context must not find the old database.
		try (Connection connection = DriverManager.getConnection(url[0], "sa", "");
				Statement statement = connection.createStatement()) {
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(() -> statement.executeQuery("SELECT count(*) FROM kept"))
				.withMessageContaining("KEPT");
			statement.execute("SHUTDOWN");
		}
	}

	@Test
	void replicasWithoutAPrimaryAreRefusedRatherThanRoutedToAnEmbeddedDatabase() {
		this.runner.withPropertyValues("app.datasource.replicas.replica-1.url=jdbc:postgresql://127.0.0.1:1/x")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("app.datasource.primary.url")
				.hasMessageContaining("replicas are configured"));
	}

	@Test
	void springDatasourcePropertiesAreAdoptedWithoutRenaming() {
		EmbeddedPostgresCluster cluster = TestCluster.cluster(DB);
		this.runner.withPropertyValues("spring.datasource.url=" + cluster.primary().jdbcUrl(DB),
				"spring.datasource.username=" + cluster.username(), "spring.datasource.password=" + cluster.password())
			.run((context) -> {
				assertThat(context.getBean(DataSource.class)).isInstanceOf(RoutingDataSource.class);
				assertThat(TestCluster.node(context.getBean(JdbcTemplate.class)).isPrimary()).isTrue();
			});
	}

	@Test
	void aUserDataSourceTurnsTheStarterOff() {
		EmbeddedPostgresCluster cluster = TestCluster.cluster(DB);
		this.runner.withUserConfiguration(UserDataSourceConfiguration.class)
			.withPropertyValues(TestCluster.properties(DB))
			.run((context) -> {
				assertThat(context).hasSingleBean(DataSource.class);
				assertThat(context.getBean(DataSource.class)).isSameAs(context.getBean("userDataSource"));
				assertThat(context).doesNotHaveBean(RoutingDataSource.class);
				assertThat(context).doesNotHaveBean(DataSourcePools.class);
				assertThat(context).doesNotHaveBean("primaryDataSource");
				assertThat(((HikariDataSource) context.getBean(DataSource.class)).getJdbcUrl())
					.isEqualTo(cluster.primary().jdbcUrl(DB));
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class ConnectionDetailsConfiguration {

		@Bean
		JdbcConnectionDetails testConnectionDetails() {
			EmbeddedPostgresCluster cluster = TestCluster.cluster(DB);
			return new JdbcConnectionDetails() {

				@Override
				public String getJdbcUrl() {
					return cluster.primary().jdbcUrl(DB);
				}

				@Override
				public String getUsername() {
					return cluster.username();
				}

				@Override
				public String getPassword() {
					return cluster.password();
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserDataSourceConfiguration {

		@Bean(destroyMethod = "close")
		HikariDataSource userDataSource() {
			EmbeddedPostgresCluster cluster = TestCluster.cluster(DB);
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setJdbcUrl(cluster.primary().jdbcUrl(DB));
			dataSource.setUsername(cluster.username());
			dataSource.setPassword(cluster.password());
			dataSource.setMaximumPoolSize(2);
			return dataSource;
		}

	}

}
