package dev.pool.it;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.pool.internal.topology.ReplicaNode;
import dev.pool.internal.replica.ReplicaSet;
import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.EmbeddedPostgresProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real replica faults on a cluster of its own: kill under load, restart, replication lag.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ReplicaFailoverTests {

	private static final String DB = "failover";

	private static final Duration INTERVAL = Duration.ofMillis(500);

	private static EmbeddedPostgresCluster cluster;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		cluster = EmbeddedPostgresCluster.builder().replicas(2).start();
		cluster.createDatabase(DB);
		EmbeddedPostgresProperties.register(registry, cluster, DB);
		registry.add("app.datasource.primary.maximum-pool-size", () -> "4");
		registry.add("app.datasource.primary.connection-timeout", () -> "2s");
		registry.add("app.datasource.routing.health-check-interval", () -> INTERVAL.toMillis() + "ms");
		registry.add("app.datasource.routing.max-replica-lag", () -> "2s");
		registry.add("app.datasource.drain.timeout", () -> "1s");
		registry.add("management.endpoints.web.exposure.include", () -> "health,metrics");
		registry.add("management.endpoint.health.show-details", () -> "always");
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	@LocalServerPort
	int port;

	@Autowired
	TestApp.Reads reads;

	@Autowired
	ReplicaSet replicas;

	@Test
	void killedReplicaUnderSteadyReadsCostsNoReadAndComesBackAfterRestart() throws Exception {
		awaitAvailable("replica-1", true);
		awaitAvailable("replica-2", true);
		int killedPort = cluster.replica(1).port();
		int survivorPort = cluster.replica(2).port();
		Map<Integer, AtomicInteger> beforeKill = new ConcurrentHashMap<>();
		Map<Integer, AtomicInteger> afterKill = new ConcurrentHashMap<>();
		AtomicInteger failures = new AtomicInteger();
		AtomicBoolean killed = new AtomicBoolean();
		AtomicLong reads = new AtomicLong();
		AtomicBoolean stop = new AtomicBoolean();
		ExecutorService threads = Executors.newFixedThreadPool(8);
		CountDownLatch done = new CountDownLatch(8);
		for (int t = 0; t < 8; t++) {
			threads.execute(() -> {
				try {
					while (!stop.get()) {
						boolean afterTheKill = killed.get();
						try {
							String node = this.reads.node();
							int port = Integer.parseInt(node.substring(node.indexOf(':') + 1));
							(afterTheKill ? afterKill : beforeKill).computeIfAbsent(port, (p) -> new AtomicInteger())
								.incrementAndGet();
							reads.incrementAndGet();
						}
						catch (RuntimeException ex) {
							failures.incrementAndGet();
							ex.printStackTrace();
						}
					}
				}
				finally {
					done.countDown();
				}
			});
		}
		try {
			// Both replicas serve the steady reads before the kill.
			await().atMost(10, TimeUnit.SECONDS)
				.until(() -> count(beforeKill, killedPort) >= 200 && count(beforeKill, survivorPort) >= 200);
			cluster.replica(1).kill();
			killed.set(true);
			// While it is down the application stays UP.
			assertThat(Http.get(this.port, "/actuator/health").statusCode()).isEqualTo(200);
			// Reads go on through the failure until the replica is ejected and well
			// after.
			await().atMost(15, TimeUnit.SECONDS).until(() -> !state("replica-1").up());
			long ejectedAt = count(afterKill, survivorPort);
			await().atMost(15, TimeUnit.SECONDS).until(() -> count(afterKill, survivorPort) >= ejectedAt + 2000);
		}
		finally {
			stop.set(true);
			assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
			threads.shutdown();
		}
		assertThat(failures.get()).as("failed reads out of %d", reads.get()).isZero();
		// Reads in flight at the kill may have finished there; nothing after ejection
		// went to it.
		assertThat(count(afterKill, killedPort)).isLessThan(count(afterKill, survivorPort) / 10 + 8);
		// The application says which replica is down and why.
		await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
			HttpResponse<String> during = Http.get(this.port, "/actuator/health");
			assertThat(during.statusCode()).isEqualTo(200);
			DocumentContext json = JsonPath.parse(during.body());
			assertThat(json.read("$.status", String.class)).isEqualTo("UP");
			assertThat(json.read("$.components.db.details['replica-1'].status", String.class)).isEqualTo("DOWN");
			assertThat(json.read("$.components.db.details['replica-1'].replica.error", String.class)).isNotBlank();
			assertThat(json.read("$.components.db.details['replica-2'].status", String.class)).isEqualTo("UP");
		});
		assertThat(metric("pool.replica.available", "replica-1")).isEqualTo(0.0);

		cluster.replica(1).start();
		long restarted = System.nanoTime();
		await().atMost(10, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(10)).until(() -> state("replica-1").up());
		long readmittedMillis = (System.nanoTime() - restarted) / 1_000_000;
		// Two intervals (1 s) on an idle machine; generous here, the failover benchmark
		// measures it.
		assertThat(readmittedMillis).as("ms until re-admitted, checks every 500 ms")
			.isLessThan(10 * INTERVAL.toMillis());
		// Back in routing once its replay has caught up with what it received (lag-aware
		// routing).
		awaitAvailable("replica-1", true);
		assertThat(metric("pool.replica.available", "replica-1")).isEqualTo(1.0);
		await().atMost(5, TimeUnit.SECONDS).until(() -> {
			String node = this.reads.node();
			return node.endsWith(":" + killedPort);
		});
	}

	@Test
	void lagBeyondTheLimitTakesAReplicaOutUntilItCatchesUp() throws Exception {
		awaitAvailable("replica-1", true);
		awaitAvailable("replica-2", true);
		try (Connection connection = cluster.primary().connect(DB);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE IF NOT EXISTS ticks (at timestamptz)");
		}
		int laggingPort = cluster.replica(2).port();
		AtomicBoolean writing = new AtomicBoolean(true);
		AtomicReference<Throwable> writerFailure = new AtomicReference<>();
		Thread writer = new Thread(() -> {
			try (Connection connection = cluster.primary().connect(DB);
					Statement statement = connection.createStatement()) {
				while (writing.get()) {
					statement.execute("INSERT INTO ticks VALUES (now())");
					Thread.sleep(100);
				}
			}
			catch (Exception ex) {
				// Kept for the test thread: an exception thrown here would only be
				// printed.
				writerFailure.set(ex);
			}
		});
		writer.start();
		try {
			cluster.replica(2).setReplayDelay(Duration.ofSeconds(6));
			await().atMost(15, TimeUnit.SECONDS).until(() -> state("replica-2").lagging());
			assertThat(state("replica-2").lagSeconds()).isGreaterThan(2.0);
			assertThat(metric("pool.replica.available", "replica-2")).isEqualTo(0.0);
			assertThat(metric("pool.replica.lag", "replica-2")).isGreaterThan(2.0);
			for (int i = 0; i < 40; i++) {
				assertThat(this.reads.node()).doesNotEndWith(":" + laggingPort);
			}
			cluster.replica(2).setReplayDelay(Duration.ZERO);
			await().atMost(15, TimeUnit.SECONDS).until(() -> state("replica-2").isAvailable());
			assertThat(state("replica-2").lagSeconds()).isLessThanOrEqualTo(2.0);
			await().atMost(5, TimeUnit.SECONDS).until(() -> this.reads.node().endsWith(":" + laggingPort));
		}
		finally {
			writing.set(false);
			writer.join(5000);
			cluster.replica(2).setReplayDelay(Duration.ZERO);
		}
		// The lag came from this writer's inserts: had it failed, the lag seen was not
		// its.
		assertThat(writerFailure.get()).as("the writer's failure").isNull();
	}

	private static long count(Map<Integer, AtomicInteger> reads, int port) {
		AtomicInteger count = reads.get(port);
		return (count != null) ? count.get() : 0;
	}

	private ReplicaNode state(String name) {
		ReplicaNode state = this.replicas.state(name);
		assertThat(state).as(name).isNotNull();
		return state;
	}

	private void awaitAvailable(String name, boolean available) {
		await().atMost(10, TimeUnit.SECONDS)
			.pollInterval(Duration.ofMillis(20))
			.until(() -> state(name).isAvailable() == available);
	}

	private double metric(String name, String pool) {
		HttpResponse<String> response = Http.get(this.port, "/actuator/metrics/" + name + "?tag=pool:" + pool);
		return JsonPath.parse(response.body()).read("$.measurements[0].value", Double.class);
	}

}
