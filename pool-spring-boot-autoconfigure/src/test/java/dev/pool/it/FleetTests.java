package dev.pool.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.pool.internal.failure.ConnectionFailures;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.internal.topology.PoolShare;
import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.SharedEmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A connection budget shared by every instance of a service, on real PostgreSQL: a role
 * with {@code CONNECTION LIMIT 24}, {@code fleet.max-connections: 24}, instances (each an
 * application context) with {@code maximum-pool-size: 20}. Under load on all of them no
 * connection is refused and the role never holds more than 24 sessions (sampled from
 * {@code pg_stat_activity} every 100 ms); a busy instance among idle ones takes most of
 * the budget; instances that join and leave move the shares, never above the budget.
 */
class FleetTests {

	private static final String DB = "fleet_test";

	private static final String ROLE = "fleet_app";

	private static final int LIMIT = 24;

	private static EmbeddedPostgresCluster cluster;

	private static Sampler sampler;

	private final List<Instance> instances = new ArrayList<>();

	@BeforeAll
	static void role() throws Exception {
		cluster = SharedEmbeddedPostgres.withDatabase(DB);
		try (Connection admin = cluster.primary().connect(DB); Statement statement = admin.createStatement()) {
			statement.execute("DROP ROLE IF EXISTS " + ROLE);
			statement.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD 'fleet' CONNECTION LIMIT " + LIMIT);
			statement.execute("GRANT ALL ON DATABASE " + DB + " TO " + ROLE);
		}
		sampler = new Sampler();
	}

	@AfterAll
	static void stopSampler() throws Exception {
		sampler.close();
	}

	@Test
	void theFleetNeverExceedsItsBudgetAndSharesItFairly() throws Exception {
		try {
			for (int i = 0; i < 4; i++) {
				this.instances.add(Instance.start("i" + i));
			}
			// Phase 1: every instance busy.
			this.instances.forEach((instance) -> instance.load(8));
			await().atMost(30, TimeUnit.SECONDS)
				.pollInterval(Duration.ofMillis(100))
				.until(() -> this.instances.stream()
					.allMatch((instance) -> instance.done() >= 50 && share(instance).instances() == 4));
			awaitShares("all four busy", (instance) -> share(instance).liveMaximum() >= 4);
			for (Instance instance : this.instances) {
				System.out.println("[fleet] busy " + instance.id + ": " + share(instance));
			}
			this.instances.forEach(Instance::stopLoad);
			assertThat(this.instances).allSatisfy((instance) -> assertThat(instance.done()).isPositive());

			// Phase 2: one busy, three idle: the busy one takes most of the budget once
			// the
			// idle ones have shrunk (idle-timeout 10 s).
			Instance busy = this.instances.get(0);
			busy.load(20);
			await().atMost(60, TimeUnit.SECONDS)
				.pollInterval(Duration.ofMillis(200))
				.until(() -> share(busy).liveMaximum() >= 14);
			System.out.println("[fleet] one busy among idle ones: " + share(busy));

			// Phase 3: a fifth instance joins, busy: the two busy ones split what the
			// idle
			// ones leave.
			Instance joiner = Instance.start("i4");
			this.instances.add(joiner);
			joiner.load(20);
			await().atMost(30, TimeUnit.SECONDS)
				.pollInterval(Duration.ofMillis(200))
				.until(() -> share(joiner).instances() == 5 && share(busy).instances() == 5
						&& share(joiner).liveMaximum() >= 6 && share(busy).liveMaximum() <= 9);
			System.out.println("[fleet] a fifth joined: " + share(busy) + " / " + share(joiner));

			// Phase 4: two idle instances leave: within a refresh or two the busy ones
			// grow.
			int before = share(busy).liveMaximum() + share(joiner).liveMaximum();
			this.instances.remove(3).close();
			this.instances.remove(2).close();
			await().atMost(30, TimeUnit.SECONDS)
				.pollInterval(Duration.ofMillis(200))
				.until(() -> share(busy).instances() == 3
						&& share(busy).liveMaximum() + share(joiner).liveMaximum() > before);
			System.out.println("[fleet] two left: " + share(busy) + " / " + share(joiner));
			busy.stopLoad();
			joiner.stopLoad();
		}
		finally {
			for (Instance instance : this.instances) {
				instance.close();
			}
		}
		System.out.println("[fleet] most sessions of role " + ROLE + " seen: " + sampler.max.get() + " (limit " + LIMIT
				+ ", " + sampler.samples.get() + " samples)");
		assertThat(sampler.max.get()).as("sessions of the role, sampled every 100 ms").isLessThanOrEqualTo(LIMIT);
		assertThat(Instance.refusals.get()).as("requests refused with 53300").isZero();
		assertThat(Instance.failures).as("failed requests").isEmpty();
	}

	@Test
	void aPoolThatStartedParkedGrowsForEveryThreadThatWaits() throws Exception {
		// HikariCP sizes its connection adder's queue by the maximum a pool starts with:
		// a
		// pool started at one connection would drop the adds of threads that wait once it
		// may grow, and they would time out though slots are free.
		Instance instance = Instance.start("grow", Map.of("app.datasource.primary.connection-timeout", "2s"));
		try {
			TestApp.Writes writes = instance.context.getBean(TestApp.Writes.class);
			List<Thread> threads = new ArrayList<>();
			List<String> failed = java.util.Collections.synchronizedList(new ArrayList<>());
			for (int t = 0; t < 8; t++) {
				threads.add(new Thread(() -> {
					try {
						writes.slow(3000);
					}
					catch (RuntimeException ex) {
						failed.add(ex.toString());
					}
				}));
			}
			threads.forEach(Thread::start);
			for (Thread thread : threads) {
				thread.join(30_000);
			}
			assertThat(failed).as("callers that got no connection within 2 s").isEmpty();
			assertThat(share(instance).liveMaximum()).isGreaterThanOrEqualTo(8);
		}
		finally {
			instance.close();
		}
	}

	private void awaitShares(String what, java.util.function.Predicate<Instance> condition) {
		await().alias(what)
			.atMost(30, TimeUnit.SECONDS)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> this.instances.stream().allMatch(condition));
	}

	private static PoolShare share(Instance instance) {
		LiveTopology topology = instance.context.getBean(LiveTopology.class);
		PoolShare share = topology.current().share(topology.current().primary().pool());
		assertThat(share).as(instance.id).isNotNull();
		return share;
	}

	/** One instance of the service, with its load. */
	private static final class Instance implements AutoCloseable {

		static final AtomicInteger refusals = new AtomicInteger();

		static final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());

		private final String id;

		private final ConfigurableApplicationContext context;

		private final AtomicBoolean running = new AtomicBoolean();

		private final AtomicLong done = new AtomicLong();

		private final List<Thread> threads = new ArrayList<>();

		private Instance(String id, ConfigurableApplicationContext context) {
			this.id = id;
			this.context = context;
		}

		static Instance start(String id) {
			return start(id, Map.of());
		}

		static Instance start(String id, Map<String, Object> extra) {
			Map<String, Object> properties = new LinkedHashMap<>();
			properties.put("spring.application.name", "fleet-svc");
			properties.put("app.datasource.primary.url", cluster.primary().jdbcUrl(DB));
			properties.put("app.datasource.primary.username", ROLE);
			properties.put("app.datasource.primary.password", "fleet");
			properties.put("app.datasource.primary.maximum-pool-size", 20);
			properties.put("app.datasource.primary.minimum-idle", 1);
			properties.put("app.datasource.primary.idle-timeout", "10s");
			properties.put("app.datasource.primary.connection-timeout", "10s");
			properties.put("app.datasource.fleet.max-connections", LIMIT);
			properties.put("app.datasource.fleet.refresh-interval", "1s");
			properties.put("app.datasource.fleet.instance-id", id);
			properties.put("spring.flyway.enabled", false);
			properties.put("spring.main.banner-mode", "off");
			properties.putAll(extra);
			ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApp.class)
				.web(WebApplicationType.NONE)
				.properties(properties)
				.run();
			return new Instance(id, context);
		}

		long done() {
			return this.done.get();
		}

		void load(int threads) {
			this.running.set(true);
			TestApp.Writes writes = this.context.getBean(TestApp.Writes.class);
			for (int t = 0; t < threads; t++) {
				Thread thread = new Thread(() -> {
					while (this.running.get()) {
						try {
							writes.slow(20);
							this.done.incrementAndGet();
						}
						catch (RuntimeException ex) {
							if (ConnectionFailures.isTooManyConnections(ex)) {
								refusals.incrementAndGet();
							}
							failures.add(this.id + ": " + ex);
						}
					}
				}, "fleet-load-" + this.id + "-" + t);
				thread.start();
				this.threads.add(thread);
			}
		}

		void stopLoad() {
			this.running.set(false);
			for (Thread thread : this.threads) {
				try {
					thread.join(30_000);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			this.threads.clear();
		}

		@Override
		public void close() {
			stopLoad();
			this.context.close();
		}

	}

	/** Counts the role's sessions every 100 ms, as a superuser outside the budget. */
	private static final class Sampler implements AutoCloseable {

		private final AtomicInteger max = new AtomicInteger();

		private final AtomicInteger samples = new AtomicInteger();

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final Thread thread;

		Sampler() throws SQLException {
			Connection connection = cluster.primary().connect(DB);
			this.thread = new Thread(() -> {
				try (connection; Statement statement = connection.createStatement()) {
					while (this.running.get()) {
						try (ResultSet rs = statement
							.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE usename = '" + ROLE + "'")) {
							rs.next();
							this.max.accumulateAndGet(rs.getInt(1), Math::max);
							this.samples.incrementAndGet();
						}
						Thread.sleep(100);
					}
				}
				catch (SQLException | InterruptedException ex) {
					throw new IllegalStateException(ex);
				}
			}, "fleet-sampler");
			this.thread.setDaemon(true);
			this.thread.start();
		}

		@Override
		public void close() throws InterruptedException {
			this.running.set(false);
			this.thread.join(5_000);
		}

	}

}
