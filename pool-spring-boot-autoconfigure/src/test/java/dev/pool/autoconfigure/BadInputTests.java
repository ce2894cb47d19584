package dev.pool.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.pool.test.EmbeddedPostgresCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each bad setting stops startup with a report naming the property and the fix (through
 * the failure analyzers registered in spring.factories, as Boot would print them).
 */
class BadInputTests {

	private static final String DB = "bad_input_test";

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(TestCluster.JDBC);

	@Test
	void noPrimaryUrlFromAnySourceAndNoEmbeddedDatabase() {
		// Without an embedded database on the classpath there is nothing to fall back to.
		FailureAnalysis analysis = analyze(
				this.runner.withClassLoader(new FilteredClassLoader("org.h2", "org.hsqldb", "org.apache.derby")));
		assertThat(analysis.getDescription()).contains("app.datasource.primary.url")
			.contains("no primary database is configured");
		assertThat(analysis.getAction()).contains("Set app.datasource.primary.url")
			.contains("spring.datasource.url")
			.contains("JdbcConnectionDetails")
			.contains("embedded database (H2, HSQLDB)");
	}

	@Test
	void embeddedDatabaseTurnedOffTheBootWay() {
		FailureAnalysis analysis = analyze("spring.datasource.embedded-database-connection=none");
		assertThat(analysis.getDescription()).contains("no primary database is configured");
	}

	@Test
	void blankReplicaUrl() {
		FailureAnalysis analysis = analyze(TestCluster.properties(DB, "app.datasource.replicas.replica-3.url= "));
		assertThat(analysis.getDescription()).contains("app.datasource.replicas.replica-3.url");
		assertThat(analysis.getAction()).contains("Set app.datasource.replicas.replica-3.url");
	}

	@Test
	void minimumIdleAboveMaximumPoolSize() {
		FailureAnalysis analysis = analyze(TestCluster.properties(DB, "app.datasource.primary.maximum-pool-size=4",
				"app.datasource.primary.minimum-idle=8"));
		assertThat(analysis.getDescription()).contains("app.datasource.primary.minimum-idle (8)")
			.contains("greater than maximum-pool-size (4)");
		assertThat(analysis.getAction()).contains("Lower app.datasource.primary.minimum-idle to at most 4");
	}

	@Test
	void replicaMinimumIdleAboveInheritedMaximum() {
		FailureAnalysis analysis = analyze(
				TestCluster.properties(DB, "app.datasource.replicas.replica-1.minimum-idle=9"));
		assertThat(analysis.getDescription()).contains("app.datasource.replicas.replica-1.minimum-idle (9)");
	}

	@Test
	void maximumPoolSizeBelowOne() {
		FailureAnalysis analysis = analyze(TestCluster.properties(DB, "app.datasource.primary.maximum-pool-size=0"));
		assertThat(analysis.getDescription()).contains("app.datasource.primary.maximum-pool-size (0)")
			.contains("at least 1");
		assertThat(analysis.getAction()).contains("1 or more");
	}

	@Test
	void unknownLoadBalancingValue() {
		FailureAnalysis analysis = analyze(TestCluster.properties(DB, "app.datasource.routing.load-balancing=fastest"));
		assertThat(analysis.getDescription()).contains("app.datasource.routing.load-balancing").contains("fastest");
		assertThat(analysis.getAction()).contains("ROUND_ROBIN").contains("RANDOM").contains("LEAST_CONNECTIONS");
	}

	@Test
	void replicaNamedPrimary() {
		FailureAnalysis analysis = analyze(TestCluster.properties(DB,
				"app.datasource.replicas.primary.url=" + TestCluster.cluster(DB).replica(1).jdbcUrl(DB)));
		assertThat(analysis.getDescription()).contains("app.datasource.replicas.primary").contains("reserved");
		assertThat(analysis.getAction()).contains("Rename the replica");
	}

	@Test
	void durationBelowHikariFloor() {
		FailureAnalysis analysis = analyze(
				TestCluster.properties(DB, "app.datasource.primary.connection-timeout=100ms"));
		assertThat(analysis.getDescription()).contains("app.datasource.primary.connection-timeout (PT0.1S)")
			.contains("below HikariCP's minimum of 250ms");
		assertThat(analysis.getAction()).contains("at least 250ms");
	}

	@Test
	void replicaDurationBelowHikariFloor() {
		FailureAnalysis analysis = analyze(
				TestCluster.properties(DB, "app.datasource.replicas.replica-2.leak-detection-threshold=1s"));
		assertThat(analysis.getDescription()).contains("app.datasource.replicas.replica-2.leak-detection-threshold");
		assertThat(analysis.getAction()).contains("at least 2000ms or to 0");
	}

	@Test
	void retryAfterBelowOneSecond() {
		FailureAnalysis analysis = analyze(TestCluster.properties(DB, "app.datasource.exhaustion.retry-after=500ms"));
		assertThat(analysis.getDescription()).contains("app.datasource.exhaustion.retry-after (PT0.5S)")
			.contains("whole number of seconds");
		assertThat(analysis.getAction()).contains("1s or more");
	}

	@Test
	void circuitBreakerThresholdBelowOne() {
		FailureAnalysis analysis = analyze(
				TestCluster.properties(DB, "app.datasource.circuit-breaker.failure-threshold=0"));
		assertThat(analysis.getDescription()).contains("app.datasource.circuit-breaker.failure-threshold (0)");
		assertThat(analysis.getAction()).contains("1 or more");
	}

	@Test
	void fallbackMaxConnectionsAboveThePrimarysPool() {
		FailureAnalysis analysis = analyze(TestCluster.properties(DB, "app.datasource.primary.maximum-pool-size=4",
				"app.datasource.routing.fallback-max-connections=5"));
		assertThat(analysis.getDescription()).contains("app.datasource.routing.fallback-max-connections (5)")
			.contains("between 1 and the primary's maximum-pool-size (4)");
		assertThat(analysis.getAction()).contains("at most 4");
	}

	@Test
	void patroniWithoutUrlsOrTemplate() {
		FailureAnalysis noUrls = analyze("app.datasource.topology.source=patroni",
				"app.datasource.topology.url-template=jdbc:postgresql://{host}:{port}/shop");
		assertThat(noUrls.getDescription()).contains("app.datasource.topology.patroni.urls")
			.contains("is empty while the topology source is patroni");
		FailureAnalysis noTemplate = analyze("app.datasource.topology.source=patroni",
				"app.datasource.topology.patroni.urls=http://127.0.0.1:1");
		assertThat(noTemplate.getDescription()).contains("app.datasource.topology.url-template")
			.contains("containing {host}");
		assertThat(noTemplate.getAction()).contains("jdbc:postgresql://{host}:{port}/shop");
		FailureAnalysis notHttp = analyze("app.datasource.topology.source=patroni",
				"app.datasource.topology.url-template=jdbc:postgresql://{host}:{port}/shop",
				"app.datasource.topology.patroni.urls=pg-1:8008");
		assertThat(notHttp.getDescription()).contains("app.datasource.topology.patroni.urls (pg-1:8008)")
			.contains("not an http or https URL");
	}

	@Test
	void patroniWithAConfiguredPrimaryUrlOrReplicaUrl() {
		FailureAnalysis primary = analyze("app.datasource.topology.source=patroni",
				"app.datasource.topology.url-template=jdbc:postgresql://{host}:{port}/shop",
				"app.datasource.topology.patroni.urls=http://127.0.0.1:1",
				"app.datasource.primary.url=jdbc:postgresql://db:5432/shop");
		assertThat(primary.getDescription()).contains("app.datasource.primary.url")
			.contains("the primary is the leader Patroni names");
		FailureAnalysis replica = analyze("app.datasource.topology.source=patroni",
				"app.datasource.topology.url-template=jdbc:postgresql://{host}:{port}/shop",
				"app.datasource.topology.patroni.urls=http://127.0.0.1:1",
				"app.datasource.replicas.pg-2.url=jdbc:postgresql://pg-2:5432/shop");
		assertThat(replica.getDescription()).contains("app.datasource.replicas.pg-2.url")
			.contains("comes from app.datasource.topology.url-template");
	}

	@Test
	void dnsWithoutANameOrWithABadResolver() {
		FailureAnalysis noName = analyze(primaryOnly("app.datasource.topology.source=dns",
				"app.datasource.topology.url-template=jdbc:postgresql://{host}:{port}/shop"));
		assertThat(noName.getDescription()).contains("app.datasource.topology.dns.name");
		FailureAnalysis badResolver = analyze(primaryOnly("app.datasource.topology.source=dns",
				"app.datasource.topology.url-template=jdbc:postgresql://{host}:{port}/shop",
				"app.datasource.topology.dns.name=replicas.test", "app.datasource.topology.dns.resolver=a b"));
		assertThat(badResolver.getDescription()).contains("app.datasource.topology.dns.resolver (a b)");
	}

	@Test
	void customSourceWithoutABeanAndTopologyTimings() {
		assertThat(analyze(primaryOnly("app.datasource.topology.source=custom",
				"app.datasource.topology.url-template=jdbc:postgresql://{host}:{port}/shop"))
			.getDescription()).contains("app.datasource.topology.source (custom)")
			.contains("no dev.pool.TopologySource bean");
		assertThat(analyze(
				primaryOnly("app.datasource.topology.source=dns", "app.datasource.topology.dns.name=replicas.test",
						"app.datasource.topology.url-template=jdbc:postgresql://{host}:{port}/shop",
						"app.datasource.topology.refresh-interval=10ms"))
			.getDescription()).contains("app.datasource.topology.refresh-interval");
		assertThat(analyze(
				primaryOnly("app.datasource.topology.source=dns", "app.datasource.topology.dns.name=replicas.test",
						"app.datasource.topology.url-template=jdbc:postgresql://{host}:{port}/shop",
						"app.datasource.topology.max-replicas=0"))
			.getDescription()).contains("app.datasource.topology.max-replicas (0)");
	}

	@Test
	void negativeReplicaLagAndDrainTimeout() {
		assertThat(analyze(TestCluster.properties(DB, "app.datasource.routing.max-replica-lag=-1s")).getDescription())
			.contains("app.datasource.routing.max-replica-lag");
		assertThat(analyze(TestCluster.properties(DB, "app.datasource.drain.timeout=-1s")).getDescription())
			.contains("app.datasource.drain.timeout");
		assertThat(
				analyze(TestCluster.properties(DB, "app.datasource.routing.health-check-interval=0s")).getDescription())
			.contains("app.datasource.routing.health-check-interval");
	}

	@Test
	void unreachablePrimaryFailsFastWithTheUrlAndTheWayOut() {
		FailureAnalysis analysis = analyze("app.datasource.primary.url=jdbc:postgresql://127.0.0.1:1/nowhere",
				"app.datasource.primary.username=someone", "app.datasource.primary.password=s3cret-value");
		assertThat(analysis.getDescription()).contains("Pool 'primary'")
			.contains("jdbc:postgresql://127.0.0.1:1/nowhere")
			.contains("app.datasource.primary")
			.doesNotContain("s3cret-value");
		assertThat(analysis.getAction()).contains("initialization-fail-timeout to -1");
	}

	@Test
	void fleetBudgetValues() {
		FailureAnalysis notANumber = analyze(TestCluster.properties(DB, "app.datasource.fleet.max-connections=lots"));
		assertThat(notANumber.getDescription()).contains("app.datasource.fleet.max-connections (lots)")
			.contains("neither a whole number nor 'role'");
		FailureAnalysis belowReserve = analyze(TestCluster.properties(DB, "app.datasource.fleet.max-connections=2"));
		assertThat(belowReserve.getDescription()).contains("app.datasource.fleet.max-connections (2)")
			.contains("below reserve + 1 (3)");
		assertThat(belowReserve.getAction()).contains("app.datasource.fleet.reserve");
		FailureAnalysis noReserve = analyze(TestCluster.properties(DB, "app.datasource.fleet.max-connections=20",
				"app.datasource.fleet.reserve=0"));
		assertThat(noReserve.getDescription()).contains("app.datasource.fleet.reserve (0)");
		FailureAnalysis refresh = analyze(TestCluster.properties(DB, "app.datasource.fleet.max-connections=20",
				"app.datasource.fleet.refresh-interval=100ms"));
		assertThat(refresh.getDescription()).contains("app.datasource.fleet.refresh-interval")
			.contains("at least 250ms");
		FailureAnalysis instance = analyze(TestCluster.properties(DB, "app.datasource.fleet.max-connections=20",
				"app.datasource.fleet.instance-id=pod one"));
		assertThat(instance.getDescription()).contains("app.datasource.fleet.instance-id (pod one)");
	}

	@Test
	void fleetBudgetSmallerThanTheInstancesOwnMinimumIdle() {
		FailureAnalysis primary = analyze(TestCluster.properties(DB, "app.datasource.primary.minimum-idle=4",
				"app.datasource.fleet.max-connections=6"));
		assertThat(primary.getDescription()).contains("app.datasource.fleet.max-connections (6)")
			.contains("leaves 4 connections after the reserve")
			.contains("pool 'primary' (minimum-idle 4 and its fleet session)");
		assertThat(primary.getAction()).contains("Raise it to at least 7")
			.contains("lower app.datasource.primary.minimum-idle");
		FailureAnalysis replica = analyze(TestCluster.properties(DB, "app.datasource.replicas.replica-2.minimum-idle=4",
				"app.datasource.fleet.max-connections=6"));
		assertThat(replica.getDescription()).contains("pool 'replica-2'");
		assertThat(replica.getAction()).contains("app.datasource.replicas.replica-2.minimum-idle");
	}

	@Test
	void fleetBudgetOnADatabaseOtherThanPostgres() {
		FailureAnalysis analysis = analyze("app.datasource.fleet.max-connections=20");
		assertThat(analysis.getDescription()).contains("app.datasource.fleet.max-connections")
			.contains("needs PostgreSQL");
	}

	@Test
	void fleetBudgetFromARoleWithoutAConnectionLimit() {
		// The test cluster's login role has no CONNECTION LIMIT.
		FailureAnalysis analysis = analyze(
				this.runner.withConfiguration(AutoConfigurations.of(PoolFleetAutoConfiguration.class))
					.withPropertyValues(TestCluster.properties(DB, "app.datasource.fleet.max-connections=role")));
		assertThat(analysis.getDescription()).contains("app.datasource.fleet.max-connections (role)")
			.contains("the role of pool 'primary' has none");
		assertThat(analysis.getAction()).contains("CONNECTION LIMIT");
	}

	@Test
	void applicationNameTooLongForTheFleetsSessions() {
		FailureAnalysis analysis = analyze(TestCluster.properties(DB, "app.datasource.fleet.max-connections=20",
				"spring.application.name=" + "a-very-long-service-name-".repeat(3)));
		assertThat(analysis.getDescription()).contains("spring.application.name").contains("63 bytes");
	}

	@Test
	void credentialFiles(@TempDir Path directory) throws Exception {
		Path password = Files.writeString(directory.resolve("password"), "s3cret-Content-41\n");
		// The test cluster's properties set app.datasource.primary.password already.
		FailureAnalysis both = analyze(TestCluster.properties(DB, "app.datasource.primary.password-file=" + password));
		assertThat(both.getDescription()).contains("app.datasource.primary.password-file (" + password + ")")
			.contains("is set together with app.datasource.primary.password");
		assertThat(both.getAction()).contains("Keep one of them");
		FailureAnalysis missing = analyze(TestCluster.properties(DB,
				"app.datasource.replicas.replica-1.username-file=" + directory.resolve("absent")));
		assertThat(missing.getDescription())
			.contains("app.datasource.replicas.replica-1.username-file (" + directory.resolve("absent") + ")")
			.contains("cannot be read (NoSuchFileException)");
		assertThat(missing.getAction()).contains("Mount the secret at that path");
		Path empty = Files.writeString(directory.resolve("empty"), "\n");
		FailureAnalysis blank = analyze(
				TestCluster.properties(DB, "app.datasource.replicas.replica-2.password-file=" + empty));
		assertThat(blank.getDescription()).contains("app.datasource.replicas.replica-2.password-file")
			.contains("the file is empty");
		FailureAnalysis refresh = analyze(
				TestCluster.properties(DB, "app.datasource.credentials.refresh-interval=500ms"));
		assertThat(refresh.getDescription()).contains("app.datasource.credentials.refresh-interval (PT0.5S)")
			.contains("at least 1s");
		for (FailureAnalysis analysis : List.of(both, missing, blank, refresh)) {
			assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("s3cret-Content-41");
		}
	}

	// A primary and no replicas: a discovered topology takes its replicas from the
	// source.
	private static String[] primaryOnly(String... extra) {
		EmbeddedPostgresCluster cluster = TestCluster.cluster(DB);
		List<String> properties = new ArrayList<>(List.of("app.datasource.primary.url=" + cluster.primary().jdbcUrl(DB),
				"app.datasource.primary.username=" + cluster.username(),
				"app.datasource.primary.password=" + cluster.password()));
		properties.addAll(List.of(extra));
		return properties.toArray(String[]::new);
	}

	private FailureAnalysis analyze(String... properties) {
		return analyze(this.runner.withPropertyValues(properties));
	}

	private FailureAnalysis analyze(ApplicationContextRunner runner) {
		FailureAnalysis[] result = new FailureAnalysis[1];
		runner.run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			// Some of Boot's own analyzers take the bean factory and environment, as at a
			// real startup.
			SpringFactoriesLoader.ArgumentResolver arguments = SpringFactoriesLoader.ArgumentResolver
				.of(BeanFactory.class, new DefaultListableBeanFactory())
				.and(Environment.class, new StandardEnvironment());
			List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
				.load(FailureAnalyzer.class, arguments, SpringFactoriesLoader.FailureHandler
					.logging(org.apache.commons.logging.LogFactory.getLog(BadInputTests.class)));
			for (FailureAnalyzer analyzer : analyzers) {
				FailureAnalysis analysis = analyzer.analyze(failure);
				if (analysis != null) {
					result[0] = analysis;
					return;
				}
			}
		});
		assertThat(result[0]).as("a failure analyzer explains the failure").isNotNull();
		return result[0];
	}

}
