package dev.pool.autoconfigure;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.internal.datasource.DataSourcePools;
import dev.pool.internal.routing.RoutingDataSource;
import dev.pool.test.EmbeddedPostgresCluster;
import org.junit.jupiter.api.Test;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the primary comes from, and backing off when the application brings its own
 * DataSource.
 */
class ConnectionSourcesTest {

	private static final String DB = "sources_test";

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(TestCluster.JDBC);

	@Test
	void jdbcConnectionDetailsBeanIsHonouredWhenNoPrimaryUrlIsSet() {
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
