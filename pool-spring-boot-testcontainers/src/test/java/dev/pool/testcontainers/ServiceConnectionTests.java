package dev.pool.testcontainers;

import java.util.HashSet;
import java.util.Set;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.internal.datasource.DataSourcePools;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @ServiceConnection} on a replica set declared as a {@code @Bean}, as in a
 * TestXxxApplication: the primary and both replicas come from the containers, over
 * properties that name other servers, and reads reach the replicas.
 */
@RequiresDockerEngine
@SpringBootTest(classes = ReplicaSetApp.class,
		properties = { "app.datasource.primary.url=jdbc:postgresql://127.0.0.1:1/ignored",
				"app.datasource.primary.username=ignored",
				"app.datasource.replicas.replica-1.url=jdbc:postgresql://127.0.0.1:1/ignored",
				"app.datasource.replicas.replica-1.maximum-pool-size=2" })
@Import(ServiceConnectionTests.Containers.class)
class ServiceConnectionTests {

	@Autowired
	private PostgresReplicaSetContainer cluster;

	@Autowired
	private DataSourcePools pools;

	@Autowired
	private ReplicaSetApp.Reads reads;

	@Test
	void connectionDetailsWinOverPropertiesForThePrimaryAndEveryReplica() {
		HikariDataSource primary = this.pools.dataSource("primary");
		assertThat(primary.getJdbcUrl()).isEqualTo(this.cluster.getJdbcUrl());
		assertThat(primary.getUsername()).isEqualTo(this.cluster.getUsername());
		assertThat(Nodes.served(new JdbcTemplate(primary))).isEqualTo("primary:false");
		for (PostgresReplicaContainer replica : this.cluster.getReplicas()) {
			HikariDataSource pool = this.pools.dataSource(replica.getName());
			assertThat(pool.getJdbcUrl()).isEqualTo(replica.getJdbcUrl());
			assertThat(Nodes.served(new JdbcTemplate(pool))).isEqualTo(replica.getName() + ":true");
		}
		// The URL came from the container; the pool settings still from the properties.
		assertThat(this.pools.dataSource("replica-1").getMaximumPoolSize()).isEqualTo(2);
	}

	@Test
	void readsGoToTheStreamingReplicasAndWritesToThePrimary() {
		Set<String> readers = new HashSet<>();
		for (int i = 0; i < 8; i++) {
			readers.add(this.reads.readOnly());
			readers.add(this.reads.readOnlyTransaction());
		}
		assertThat(readers).containsExactlyInAnyOrder("replica-1:true", "replica-2:true");
		assertThat(this.reads.write()).isEqualTo("primary:false");
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Containers {

		@Bean
		@ServiceConnection
		PostgresReplicaSetContainer postgresReplicaSet() {
			return new PostgresReplicaSetContainer(TestImages.postgres()).withReplicas(2);
		}

	}

}
