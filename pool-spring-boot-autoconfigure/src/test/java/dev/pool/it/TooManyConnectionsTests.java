package dev.pool.it;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.pool.internal.failure.ConnectionFailures;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.internal.topology.ReplicaNode;
import dev.pool.internal.topology.Topology;
import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.SharedEmbeddedPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Without a fleet budget, four instances with ten callers each and pools of 20 against a
 * role limited to 24 connections (on the primary and on the replica) meet "too many
 * connections" (SQLState 53300). That is not an outage: no request fails at once, the
 * circuit breaker stays closed and the replica is never ejected, on any instance, while
 * it happens.
 */
class TooManyConnectionsTests {

	private static final String DB = "too_many_test";

	private static final String ROLE = "crowded_app";

	private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(3);

	@Test
	void refusedConnectionsNeitherOpenTheBreakerNorEjectAReplica() throws Exception {
		EmbeddedPostgresCluster cluster = SharedEmbeddedPostgres.withDatabase(DB);
		try (Connection admin = cluster.primary().connect(DB); Statement statement = admin.createStatement()) {
			statement.execute("DROP ROLE IF EXISTS " + ROLE);
			statement.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD 'crowded' CONNECTION LIMIT 24");
			statement.execute("GRANT ALL ON DATABASE " + DB + " TO " + ROLE);
		}
		cluster.awaitReplication();
		String refusal = "too many connections for role \"" + ROLE + "\"";
		long refusedBefore = cluster.primary().logLinesContaining(refusal)
				+ cluster.replica(1).logLinesContaining(refusal);
		List<ConfigurableApplicationContext> instances = new ArrayList<>();
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger refused = new AtomicInteger();
		AtomicInteger served = new AtomicInteger();
		AtomicInteger failed = new AtomicInteger();
		Queue<String> early = new ConcurrentLinkedQueue<>();
		AtomicInteger breakerOpen = new AtomicInteger();
		AtomicInteger replicaDown = new AtomicInteger();
		List<Thread> threads = new ArrayList<>();
		try {
			for (int i = 0; i < 4; i++) {
				instances.add(start(cluster));
			}
			for (ConfigurableApplicationContext instance : instances) {
				TestApp.Writes writes = instance.getBean(TestApp.Writes.class);
				TestApp.Reads reads = instance.getBean(TestApp.Reads.class);
				// Ten callers of each kind per instance: together they want 40
				// connections of 24.
				for (int t = 0; t < 10; t++) {
					threads.add(load(running, refused, served, failed, early, () -> writes.slow(200)));
					threads.add(load(running, refused, served, failed, early, reads::node));
				}
			}
			threads.forEach(Thread::start);
			// Watched every 50 ms on every instance until enough refusals were seen.
			await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50)).until(() -> {
				for (ConfigurableApplicationContext instance : instances) {
					Topology topology = instance.getBean(LiveTopology.class).current();
					if (!"CLOSED".equals(topology.primary().breaker().state())) {
						breakerOpen.incrementAndGet();
					}
					for (ReplicaNode replica : topology.replicas()) {
						if (!replica.up()) {
							replicaDown.incrementAndGet();
						}
					}
				}
				return refusedSince(cluster, refusal, refusedBefore) >= 20 && served.get() >= 200;
			});
		}
		finally {
			running.set(false);
			for (Thread thread : threads) {
				thread.join(30_000);
			}
			instances.forEach(ConfigurableApplicationContext::close);
		}
		long serverRefusals = refusedSince(cluster, refusal, refusedBefore);
		System.out.println("[too many] logins the servers refused: " + serverRefusals + " (primary "
				+ cluster.primary().logLinesContaining(refusal) + ", replica "
				+ cluster.replica(1).logLinesContaining(refusal) + " since the cluster started)" + ", requests served: "
				+ served.get() + ", failed: " + failed.get() + " (" + refused.get() + " with 53300 as the cause; "
				+ early.size() + " before the connection-timeout)");
		assertThat(serverRefusals).isPositive();
		// Slow writes keep threads waiting, so each pool's adder retries against the full
		// server: were refusals failures, the breaker would open and requests would fail
		// at once. A caller may still wait out the connection-timeout now and then:
		// without a fleet budget an instance's pool keeps only the sessions it won (at
		// least its minimum-idle of 2) for ten callers, which is exhaustion (HTTP 503),
		// not an outage.
		assertThat(early).as("requests that failed before the connection-timeout").isEmpty();
		assertThat(breakerOpen.get()).as("observations of a breaker not closed").isZero();
		assertThat(replicaDown.get()).as("observations of a replica ejected").isZero();
	}

	@Test
	void aServerThatRefusesNewSessionsIsUpInHealth() throws Exception {
		EmbeddedPostgresCluster cluster = SharedEmbeddedPostgres.withDatabase(DB);
		try (Connection admin = cluster.primary().connect(DB); Statement statement = admin.createStatement()) {
			statement.execute("DROP ROLE IF EXISTS full_app");
			statement.execute("CREATE ROLE full_app LOGIN PASSWORD 'full' CONNECTION LIMIT 2");
			statement.execute("GRANT ALL ON DATABASE " + DB + " TO full_app");
		}
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("app.datasource.primary.url", cluster.primary().jdbcUrl(DB));
		properties.put("app.datasource.primary.username", "full_app");
		properties.put("app.datasource.primary.password", "full");
		properties.put("app.datasource.primary.maximum-pool-size", 2);
		properties.put("app.datasource.primary.minimum-idle", 2);
		properties.put("spring.flyway.enabled", false);
		properties.put("spring.jpa.hibernate.ddl-auto", "none");
		properties.put("spring.main.banner-mode", "off");
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApp.class)
			.web(WebApplicationType.NONE)
			.properties(properties)
			.run()) {
			com.zaxxer.hikari.HikariDataSource primary = context.getBean("primaryDataSource",
					com.zaxxer.hikari.HikariDataSource.class);
			// The pool holds both sessions the role may have: the health check's own is
			// refused.
			await().atMost(10, TimeUnit.SECONDS).until(() -> primary.getHikariPoolMXBean().getTotalConnections() == 2);
			org.springframework.boot.health.contributor.Health health = context
				.getBean(dev.pool.internal.health.PoolHealthIndicator.class)
				.health(true);
			assertThat(health.getStatus().getCode()).isEqualTo("UP");
			@SuppressWarnings("unchecked")
			Map<String, Object> details = (Map<String, Object>) health.getDetails().get("primary");
			assertThat((String) details.get("newConnections")).startsWith("refused: ").contains("too many connections");
		}
	}

	private static long refusedSince(EmbeddedPostgresCluster cluster, String refusal, long before) {
		return cluster.primary().logLinesContaining(refusal) + cluster.replica(1).logLinesContaining(refusal) - before;
	}

	private static Thread load(AtomicBoolean running, AtomicInteger refused, AtomicInteger served, AtomicInteger failed,
			Queue<String> early, Runnable call) {
		return new Thread(() -> {
			while (running.get()) {
				long start = System.nanoTime();
				try {
					call.run();
					served.incrementAndGet();
				}
				catch (RuntimeException ex) {
					failed.incrementAndGet();
					long waited = System.nanoTime() - start;
					if (waited < CONNECTION_TIMEOUT.toNanos()) {
						early.add(waited / 1_000_000 + " ms: " + ex);
					}
					if (ConnectionFailures.isTooManyConnections(ex)) {
						refused.incrementAndGet();
					}
				}
			}
		});
	}

	private static ConfigurableApplicationContext start(EmbeddedPostgresCluster cluster) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("app.datasource.primary.url", cluster.primary().jdbcUrl(DB));
		properties.put("app.datasource.primary.username", ROLE);
		properties.put("app.datasource.primary.password", "crowded");
		properties.put("app.datasource.primary.maximum-pool-size", 20);
		// A small idle floor so that all four start; the load then grows each pool to 20.
		properties.put("app.datasource.primary.minimum-idle", 2);
		properties.put("app.datasource.primary.connection-timeout", CONNECTION_TIMEOUT.toMillis() + "ms");
		properties.put("app.datasource.primary.initialization-fail-timeout", -1);
		properties.put("app.datasource.replicas.replica-1.url", cluster.replica(1).jdbcUrl(DB));
		properties.put("app.datasource.routing.health-check-interval", "200ms");
		properties.put("app.datasource.circuit-breaker.failure-threshold", 3);
		properties.put("spring.flyway.enabled", false);
		properties.put("spring.main.banner-mode", "off");
		return new SpringApplicationBuilder(TestApp.class).web(WebApplicationType.NONE).properties(properties).run();
	}

}
