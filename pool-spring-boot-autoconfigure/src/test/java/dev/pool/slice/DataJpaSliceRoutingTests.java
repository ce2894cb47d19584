package dev.pool.slice;

import javax.sql.DataSource;

import dev.pool.internal.routing.RoutingDataSource;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.test.EmbeddedPostgresProperties;
import dev.pool.test.SharedEmbeddedPostgres;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @DataJpaTest} against the real primary and replicas: the starter takes part in
 * the slice and routes as the application does.
 */
// Hibernate creates the table from the test thread when the slice starts: with
// read-your-writes on, that thread's reads go to a replica that has replayed the DDL, and
// max-wait lets the read wait for it instead of racing the replay.
@DataJpaTest(properties = { "spring.jpa.hibernate.ddl-auto=create-drop", "app.datasource.consistency.max-wait=5s" })
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
class DataJpaSliceRoutingTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		EmbeddedPostgresProperties.register(registry, "slice_jpa");
	}

	@Autowired
	DataSource dataSource;

	@Autowired
	ItemRepository items;

	@Autowired
	EntityManager entityManager;

	@Autowired
	LiveTopology topology;

	@Test
	void theSliceGetsTheRouterAndItsReadWriteTestTransactionUsesThePrimary() {
		assertThat(this.dataSource).isInstanceOf(RoutingDataSource.class);
		Item saved = this.items.saveAndFlush(new Item("written"));
		// A count is SQL on the test transaction's connection (a find would be answered
		// from the persistence context): the row is there, on the node asserted next.
		assertThat(saved.getId()).isNotNull();
		assertThat(this.items.count()).isOne();
		assertThat(node()).isEqualTo("false:" + SharedEmbeddedPostgres.cluster().primary().port());
	}

	@Test
	@Transactional(readOnly = true)
	void aReadOnlyTestTransactionReadsFromAReplica() {
		// Hibernate created the table on the primary when the slice started.
		SharedEmbeddedPostgres.cluster().awaitReplication();
		assertThat(node()).as(() -> "replicas: " + this.topology.current().describeReplicas()).startsWith("true:");
		// Every other test's transaction rolled back: nothing committed to replay.
		assertThat(this.items.findAll()).isEmpty();
	}

	private String node() {
		return (String) this.entityManager.createNativeQuery(SliceApp.NODE).getSingleResult();
	}

}
