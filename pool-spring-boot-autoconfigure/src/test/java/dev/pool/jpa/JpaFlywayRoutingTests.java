package dev.pool.jpa;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.pool.ReadOnly;
import dev.pool.test.EmbeddedPostgresProperties;
import dev.pool.test.SharedEmbeddedPostgres;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Table;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Boot application with Hibernate, Spring Data JPA and Flyway on the starter.
 */
@SpringBootTest(classes = JpaFlywayRoutingTests.App.class)
class JpaFlywayRoutingTests {

	private static final String DB = "jpa_test";

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		EmbeddedPostgresProperties.register(registry, DB);
		registry.add("app.datasource.primary.maximum-pool-size", () -> "4");
		registry.add("app.datasource.primary.minimum-idle", () -> "0");
		registry.add("spring.flyway.locations", () -> "classpath:db/pool-jpa");
		registry.add("spring.jpa.hibernate.ddl-auto", () -> "validate");
		registry.add("spring.jpa.open-in-view", () -> "false");
	}

	@Autowired
	AccountService service;

	@Autowired
	AccountRepository repository;

	@Autowired
	Flyway flyway;

	@Autowired
	@Qualifier("primaryDataSource")
	DataSource primaryPool;

	@Autowired
	@Qualifier("replica-1DataSource")
	DataSource replicaPool;

	@Test
	void readOnlyTransactionsAndReadOnlyMethodsUseAReplicaWithHibernate() {
		assertThat(this.service.nodeInReadOnlyTransaction()).startsWith("true:");
		assertThat(this.service.nodeInReadOnlyMethod()).startsWith("true:");
		assertThat(this.service.nodeInReadWriteTransaction()).isEqualTo("false:" + primaryPort());
	}

	@Test
	void writesGoToThePrimaryAndReadOnlyInsideTheWriteSeesThem() {
		String result = this.service.saveThenReadOnlyCount("alice");
		assertThat(result).isEqualTo("false:" + primaryPort() + ":1");
	}

	@Test
	void springDataReadMethodsAreServedByAReplicaOnceReplicated() {
		Account saved = this.repository.save(new Account("bob"));
		SharedEmbeddedPostgres.cluster().awaitReplication();
		// This thread wrote: its read takes a replica once the router has seen that one
		// replayed the write, and a replica's position is asked at most every 20 ms, so a
		// read in the same instant may still go to the primary (read-your-writes).
		await().atMost(5, TimeUnit.SECONDS)
			.pollInterval(Duration.ofMillis(25))
			.untilAsserted(() -> assertThat(this.service.ownerOnReplica(saved.getId())).isEqualTo("true:bob"));
	}

	@Test
	void flywayMigratedThePrimaryPoolAndItsTablesAreOnTheReplicas() throws Exception {
		assertThat(this.flyway.getConfiguration().getDataSource()).isSameAs(this.primaryPool);
		SharedEmbeddedPostgres.cluster().awaitReplication();
		try (Connection connection = this.replicaPool.getConnection();
				Statement statement = connection.createStatement();
				ResultSet rs = statement
					.executeQuery("SELECT pg_is_in_recovery(), count(*) FROM flyway_schema_history WHERE success")) {
			rs.next();
			assertThat(rs.getBoolean(1)).isTrue();
			assertThat(rs.getInt(2)).isEqualTo(1);
		}
	}

	private static int primaryPort() {
		return SharedEmbeddedPostgres.cluster().primary().port();
	}

	@SpringBootApplication
	@EnableJpaRepositories(considerNestedRepositories = true)
	static class App {

		@Bean
		AccountService accountService(AccountRepository repository) {
			return new AccountService(repository);
		}

	}

	interface AccountRepository extends JpaRepository<Account, Long> {

	}

	@Entity
	@Table(name = "account")
	static class Account {

		@Id
		@GeneratedValue(strategy = GenerationType.IDENTITY)
		private Long id;

		private String owner;

		protected Account() {
		}

		Account(String owner) {
			this.owner = owner;
		}

		Long getId() {
			return this.id;
		}

		String getOwner() {
			return this.owner;
		}

	}

	static class AccountService {

		private static final String NODE = "SELECT CAST(pg_is_in_recovery() AS text) || ':' || inet_server_port()";

		private final AccountRepository repository;

		@PersistenceContext
		private EntityManager entityManager;

		AccountService(AccountRepository repository) {
			this.repository = repository;
		}

		@Transactional(readOnly = true)
		String nodeInReadOnlyTransaction() {
			return node();
		}

		@ReadOnly
		String nodeInReadOnlyMethod() {
			return node();
		}

		@Transactional
		String nodeInReadWriteTransaction() {
			return node();
		}

		@Transactional
		String saveThenReadOnlyCount(String owner) {
			this.repository.save(new Account(owner));
			this.entityManager.flush();
			return readOnlyCount(owner);
		}

		@ReadOnly
		String readOnlyCount(String owner) {
			Number count = (Number) this.entityManager
				.createNativeQuery("SELECT count(*) FROM account WHERE owner = ?1")
				.setParameter(1, owner)
				.getSingleResult();
			return node() + ":" + count;
		}

		@Transactional(readOnly = true)
		String ownerOnReplica(Long id) {
			return node().split(":")[0] + ":" + this.repository.findById(id).orElseThrow().getOwner();
		}

		private String node() {
			return (String) this.entityManager.createNativeQuery(NODE).getSingleResult();
		}

	}

}
