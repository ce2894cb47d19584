package dev.pool.autoconfigure;

import java.sql.Connection;
import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.ReadOnly;
import dev.pool.autoconfigure.TestCluster.Node;
import dev.pool.internal.datasource.PoolTrackers;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.internal.topology.Topology;
import dev.pool.internal.routing.RoutingCounts;
import dev.pool.internal.routing.RoutingDataSource;
import dev.pool.internal.routing.RoutingReason;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every routing rule, asserted by the node that served the query.
 */
class RoutingTests {

	private static final String DB = "routing_test";

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(TestCluster.JDBC)
		.withUserConfiguration(Services.class)
		.withPropertyValues(TestCluster.properties(DB));

	@Test
	void plainQueriesGoToThePrimary() {
		this.runner.run((context) -> {
			assertThat(TestCluster.node(context.getBean(JdbcTemplate.class)).isPrimary()).isTrue();
			assertThat(context.getBean(Reads.class).plain().isPrimary()).isTrue();
		});
	}

	@Test
	void readOnlyWithoutTransactionGoesToAReplica() {
		this.runner.run((context) -> {
			Reads reads = context.getBean(Reads.class);
			assertThat(reads.readOnly().isReplica()).isTrue();
			assertThat(reads.readOnlyRawConnection().isReplica()).isTrue();
			assertThat(context.getBean(ClassLevelReads.class).read().isReplica()).isTrue();
			// The scope ends with the method.
			assertThat(reads.plain().isPrimary()).isTrue();
		});
	}

	@Test
	void readOnlyTransactionGoesToAReplica() {
		this.runner.run((context) -> {
			Reads reads = context.getBean(Reads.class);
			Node node = reads.readOnlyTransaction();
			assertThat(node.isReplica()).isTrue();
			assertThat(reads.readOnlyTransactionUnderReadOnly().isReplica()).isTrue();
		});
	}

	@Test
	void readWriteTransactionGoesToThePrimary() {
		this.runner.run((context) -> {
			assertThat(context.getBean(Writes.class).readWriteTransaction().isPrimary()).isTrue();
		});
	}

	@Test
	void readOnlyInsideReadWriteTransactionReadsItsOwnWritesOnThePrimary() {
		this.runner.run((context) -> {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			jdbc.execute("CREATE TABLE IF NOT EXISTS ryw (id int)");
			Map<String, Object> result = context.getBean(Writes.class).insertThenReadOnly();
			assertThat(((Node) result.get("node")).isPrimary()).isTrue();
			assertThat(result.get("seen")).isEqualTo(1);
		});
	}

	@Test
	void readWriteRequiresNewInsideReadOnlyGoesToThePrimary() {
		this.runner.run((context) -> {
			Map<String, Node> nodes = context.getBean(Reads.class).readOnlyCallingRequiresNew();
			assertThat(nodes.get("before").isReplica()).isTrue();
			assertThat(nodes.get("inner").isPrimary()).isTrue();
			assertThat(nodes.get("after").isReplica()).isTrue();
		});
	}

	@Test
	void readWriteTransactionStartedInsideReadOnlyGoesToThePrimary() {
		this.runner.run((context) -> {
			assertThat(context.getBean(Reads.class).readOnlyCallingRequired().isPrimary()).isTrue();
		});
	}

	@Test
	void theInjectableDataSourceIsTheRouterAndEachPoolIsANonDefaultBean() {
		this.runner.run((context) -> {
			assertThat(context.getBean(DataSource.class)).isInstanceOf(RoutingDataSource.class);
			assertThat(context.getBeansOfType(HikariDataSource.class)).containsOnlyKeys("primaryDataSource",
					"replica-1DataSource", "replica-2DataSource");
			assertThat(context.getBean("primaryDataSource", HikariDataSource.class).getPoolName()).isEqualTo("primary");
			assertThat(context.getBean("replica-1DataSource", HikariDataSource.class).isReadOnly()).isTrue();
			// Boot's own pooled DataSource and its properties-based connection details
			// backed off.
			assertThat(context).doesNotHaveBean("jdbcConnectionDetails");
			assertThat(context.getBeansOfType(DataSource.class)).hasSize(4);
		});
	}

	@Test
	void withMicrometerOrActuatorEveryBorrowIsTrackedAndCounted() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(RoutingCounts.class).hasSingleBean(PoolTrackers.class);
			assertThat(context.getBean("primaryDataSource", HikariDataSource.class).getMetricsTrackerFactory())
				.isSameAs(context.getBean(PoolTrackers.class));
			context.getBean(Reads.class).readOnly();
			Topology topology = context.getBean(LiveTopology.class).current();
			RoutingCounts counts = context.getBean(RoutingCounts.class);
			assertThat(counts.counter(topology.replica("replica-1").pool(), RoutingReason.READ_ONLY).sum()
					+ counts.counter(topology.replica("replica-2").pool(), RoutingReason.READ_ONLY).sum())
				.isEqualTo(1);
		});
	}

	@Test
	void withoutMicrometerOrActuatorBorrowsCarryNoBookkeepingAndStillRoute() {
		// No user services here: their CGLIB proxies cannot be defined in a filtered
		// class loader.
		new ApplicationContextRunner().withConfiguration(TestCluster.JDBC)
			.withPropertyValues(TestCluster.properties(DB))
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class, Endpoint.class))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(RoutingCounts.class).doesNotHaveBean(PoolTrackers.class);
				for (HikariDataSource pool : context.getBeansOfType(HikariDataSource.class).values()) {
					assertThat(pool.getMetricsTrackerFactory()).as(pool.getPoolName()).isNull();
				}
				DataSource dataSource = context.getBean(DataSource.class);
				try (Connection connection = dataSource.getConnection()) {
					connection.setReadOnly(true);
					assertThat(TestCluster.node(connection).isReplica()).isTrue();
				}
				assertThat(TestCluster.node(context.getBean(JdbcTemplate.class)).isPrimary()).isTrue();
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class Services {

		@Bean
		Reads reads(JdbcTemplate jdbc, DataSource dataSource, Writes writes, ReadTx readTx) {
			return new Reads(jdbc, dataSource, writes, readTx);
		}

		@Bean
		Writes writes(JdbcTemplate jdbc, ClassLevelReads classLevelReads) {
			return new Writes(jdbc, classLevelReads);
		}

		@Bean
		ReadTx readTx(JdbcTemplate jdbc) {
			return new ReadTx(jdbc);
		}

		@Bean
		ClassLevelReads classLevelReads(JdbcTemplate jdbc) {
			return new ClassLevelReads(jdbc);
		}

	}

	static class Reads {

		private final JdbcTemplate jdbc;

		private final DataSource dataSource;

		private final Writes writes;

		private final ReadTx readTx;

		Reads(JdbcTemplate jdbc, DataSource dataSource, Writes writes, ReadTx readTx) {
			this.jdbc = jdbc;
			this.dataSource = dataSource;
			this.writes = writes;
			this.readTx = readTx;
		}

		Node plain() {
			return TestCluster.node(this.jdbc);
		}

		@ReadOnly
		Node readOnly() {
			return TestCluster.node(this.jdbc);
		}

		@ReadOnly
		Node readOnlyRawConnection() throws Exception {
			try (Connection connection = this.dataSource.getConnection()) {
				return TestCluster.node(connection);
			}
		}

		@Transactional(readOnly = true)
		Node readOnlyTransaction() {
			return TestCluster.node(this.jdbc);
		}

		@ReadOnly
		Node readOnlyTransactionUnderReadOnly() {
			return this.readTx.read();
		}

		@ReadOnly
		Map<String, Node> readOnlyCallingRequiresNew() {
			Map<String, Node> nodes = new HashMap<>();
			nodes.put("before", TestCluster.node(this.jdbc));
			nodes.put("inner", this.writes.requiresNew());
			nodes.put("after", TestCluster.node(this.jdbc));
			return nodes;
		}

		@ReadOnly
		Node readOnlyCallingRequired() {
			return this.writes.readWriteTransaction();
		}

	}

	static class ReadTx {

		private final JdbcTemplate jdbc;

		ReadTx(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@Transactional(readOnly = true)
		Node read() {
			return TestCluster.node(this.jdbc);
		}

	}

	static class Writes {

		private final JdbcTemplate jdbc;

		private final ClassLevelReads classLevelReads;

		Writes(JdbcTemplate jdbc, ClassLevelReads classLevelReads) {
			this.jdbc = jdbc;
			this.classLevelReads = classLevelReads;
		}

		@Transactional
		Node readWriteTransaction() {
			return TestCluster.node(this.jdbc);
		}

		@Transactional(propagation = Propagation.REQUIRES_NEW)
		Node requiresNew() {
			return TestCluster.node(this.jdbc);
		}

		@Transactional
		Map<String, Object> insertThenReadOnly() {
			this.jdbc.update("INSERT INTO ryw VALUES (1)");
			Map<String, Object> result = new HashMap<>();
			result.put("node", this.classLevelReads.read());
			result.put("seen", this.classLevelReads.count());
			this.jdbc.update("DELETE FROM ryw");
			return result;
		}

	}

	@ReadOnly
	static class ClassLevelReads {

		private final JdbcTemplate jdbc;

		ClassLevelReads(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		Node read() {
			return TestCluster.node(this.jdbc);
		}

		int count() {
			return this.jdbc.queryForObject("SELECT count(*) FROM ryw", Integer.class);
		}

	}

}
