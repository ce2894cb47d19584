package dev.pool.autoconfigure;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.ReadOnly;
import dev.pool.autoconfigure.TestCluster.Node;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

class LoadBalancingTests {

	private static final String DB = "balancing_test";

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(TestCluster.JDBC)
		.withUserConfiguration(ReaderConfiguration.class);

	@Test
	void roundRobinSpreadsAThousandReadsEvenlyOverTwoReplicas() {
		this.runner.withPropertyValues(TestCluster.properties(DB, "app.datasource.routing.load-balancing=round-robin"))
			.run((context) -> {
				Map<Integer, Integer> byPort = readsByPort(context.getBean(Reader.class), 1000);
				assertThat(byPort).containsOnlyKeys(TestCluster.replicaPort(1), TestCluster.replicaPort(2));
				assertThat(byPort.values()).allSatisfy((count) -> assertThat(count).isBetween(475, 525));
			});
	}

	@Test
	void randomUsesBothReplicas() {
		this.runner.withPropertyValues(TestCluster.properties(DB, "app.datasource.routing.load-balancing=random"))
			.run((context) -> {
				Map<Integer, Integer> byPort = readsByPort(context.getBean(Reader.class), 200);
				assertThat(byPort).containsOnlyKeys(TestCluster.replicaPort(1), TestCluster.replicaPort(2));
				assertThat(byPort.values()).allSatisfy((count) -> assertThat(count).isBetween(50, 150));
			});
	}

	@Test
	void leastConnectionsPrefersTheIdleReplicaWhileTheOtherHoldsConnections() {
		this.runner
			.withPropertyValues(TestCluster.properties(DB, "app.datasource.routing.load-balancing=least-connections"))
			.run((context) -> {
				HikariDataSource busy = context.getBean("replica-1DataSource", HikariDataSource.class);
				List<Connection> held = new ArrayList<>();
				try {
					for (int i = 0; i < 2; i++) {
						held.add(busy.getConnection());
					}
					Map<Integer, Integer> byPort = readsByPort(context.getBean(Reader.class), 50);
					assertThat(byPort).containsOnlyKeys(TestCluster.replicaPort(2));
				}
				finally {
					for (Connection connection : held) {
						connection.close();
					}
				}
				// Once both are idle again, both serve.
				Map<Integer, Integer> byPort = readsByPort(context.getBean(Reader.class), 50);
				assertThat(byPort).containsOnlyKeys(TestCluster.replicaPort(1), TestCluster.replicaPort(2));
			});
	}

	private static Map<Integer, Integer> readsByPort(Reader reader, int reads) {
		Map<Integer, Integer> byPort = new TreeMap<>();
		for (int i = 0; i < reads; i++) {
			Node node = reader.read();
			assertThat(node.inRecovery()).isTrue();
			byPort.merge(node.port(), 1, Integer::sum);
		}
		return byPort;
	}

	@Configuration(proxyBeanMethods = false)
	static class ReaderConfiguration {

		@Bean
		Reader reader(JdbcTemplate jdbc) {
			return new Reader(jdbc);
		}

	}

	static class Reader {

		private final JdbcTemplate jdbc;

		Reader(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@ReadOnly
		Node read() {
			return TestCluster.node(this.jdbc);
		}

	}

}
