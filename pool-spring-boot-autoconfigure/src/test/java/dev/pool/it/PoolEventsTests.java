package dev.pool.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.TopologySource;
import dev.pool.event.CircuitBreakerEvent;
import dev.pool.event.CredentialsRotatedEvent;
import dev.pool.event.PoolEvent;
import dev.pool.event.PoolExhaustedEvent;
import dev.pool.event.PoolSizeChangedEvent;
import dev.pool.event.PrimaryChangedEvent;
import dev.pool.event.ReplicaAddedEvent;
import dev.pool.event.ReplicaEjectedEvent;
import dev.pool.event.ReplicaReadmittedEvent;
import dev.pool.event.ReplicaRemovedEvent;
import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.PostgresNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each application event on the fault that causes it, on a cluster of this class's own
 * (it kills, restarts and promotes nodes): a replica killed and restarted, a login
 * rotated, the primary killed and back (the breaker's three states), a pool that grows
 * under load, and with a topology source a replica added and removed and a promoted node
 * named primary. A listener that throws changes nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PoolEventsTests {

	private static final String DB = "events";

	private static EmbeddedPostgresCluster cluster;

	@TempDir
	Path directory;

	@BeforeAll
	static void startCluster() throws Exception {
		cluster = EmbeddedPostgresCluster.builder().replicas(2).start();
		cluster.createDatabase(DB);
		try (Connection admin = cluster.primary().connect(DB); Statement statement = admin.createStatement()) {
			statement.execute("CREATE ROLE events_app LOGIN PASSWORD 'events-one'");
			statement.execute("GRANT ALL ON DATABASE " + DB + " TO events_app");
			statement.execute("CREATE TABLE test_writes (id bigint PRIMARY KEY, port int NOT NULL)");
			statement.execute("GRANT ALL ON test_writes TO events_app");
		}
		cluster.awaitReplication();
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	@Test
	@Order(1)
	void faultsOnConfiguredNodesArePublished() throws Exception {
		Path password = Files.writeString(this.directory.resolve("password"), "events-one\n");
		List<PoolEvent> events = new CopyOnWriteArrayList<>();
		Map<String, Object> properties = base();
		properties.put("app.datasource.primary.url", cluster.primary().jdbcUrl(DB));
		properties.put("app.datasource.primary.username", "events_app");
		properties.put("app.datasource.primary.password-file", password.toString());
		properties.put("app.datasource.replicas.replica-1.url", cluster.replica(1).jdbcUrl(DB));
		properties.put("app.datasource.primary.maximum-pool-size", 6);
		properties.put("app.datasource.primary.minimum-idle", 1);
		properties.put("app.datasource.sizing.adaptive", true);
		properties.put("app.datasource.circuit-breaker.failure-threshold", 2);
		properties.put("app.datasource.circuit-breaker.open-duration", "1s");
		try (ConfigurableApplicationContext context = start(properties, events, null)) {
			TestApp.Writes writes = context.getBean(TestApp.Writes.class);

			// A pool that grows: four slow writes at once on a live maximum of 1.
			ExecutorService callers = Executors.newFixedThreadPool(4);
			for (int i = 0; i < 4; i++) {
				callers.submit(() -> writes.slow(500));
			}
			callers.shutdown();
			assertThat(callers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
			PoolSizeChangedEvent grew = awaitEvent(events, PoolSizeChangedEvent.class,
					(event) -> event.getPool().equals("primary") && event.getCurrent() > event.getPrevious());
			assertThat(grew.getReason()).contains("waited");

			// A replica killed, then back.
			cluster.replica(1).kill();
			ReplicaEjectedEvent ejected = awaitEvent(events, ReplicaEjectedEvent.class,
					(event) -> event.getPool().equals("replica-1"));
			assertThat(ejected.getReason()).isNotBlank();
			cluster.replica(1).start();
			awaitEvent(events, ReplicaReadmittedEvent.class, (event) -> event.getPool().equals("replica-1"));

			// A login rotated: the database first, then the file.
			try (Connection admin = cluster.primary().connect(DB); Statement statement = admin.createStatement()) {
				statement.execute("ALTER ROLE events_app PASSWORD 'events-two'");
			}
			Path next = Files.writeString(this.directory.resolve("password.next"), "events-two\n");
			Files.move(next, password, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			CredentialsRotatedEvent rotated = awaitEvent(events, CredentialsRotatedEvent.class,
					(event) -> event.getPool().equals("primary"));
			assertThat(rotated.getGeneration()).isOne();
			assertThat(rotated.getSource()).isEqualTo("app.datasource.primary.password-file " + password);
			assertThat(rotated.toString()).doesNotContain("events-two");

			// The primary killed: the breaker opens; back, it half-opens and closes.
			cluster.primary().kill();
			// Writes meet the dead primary until the breaker opens.
			await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50)).until(() -> {
				try {
					writes.write();
				}
				catch (RuntimeException expected) {
					// The primary is dead: that is the point.
				}
				return events.stream()
					.anyMatch(
							(event) -> event instanceof CircuitBreakerEvent breaker && breaker.getTo().equals("OPEN"));
			});
			cluster.primary().start();
			await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
				writes.write();
				return true;
			});
			awaitEvent(events, CircuitBreakerEvent.class,
					(event) -> event.getFrom().equals("OPEN") && event.getTo().equals("HALF_OPEN"));
			awaitEvent(events, CircuitBreakerEvent.class,
					(event) -> event.getFrom().equals("HALF_OPEN") && event.getTo().equals("CLOSED"));
			// The listener that throws at every event changed nothing.
			assertThat(writes.write()).startsWith("false:");
		}
	}

	@Test
	@Order(2)
	void aTopologySourcesChangesArePublished() throws Exception {
		// Whatever the test before left stopped.
		cluster.primary().start();
		cluster.replicas().forEach(PostgresNode::start);
		AtomicReference<TopologySource.Nodes> nodes = new AtomicReference<>(
				new TopologySource.Nodes(node("db-1", cluster.primary().port()),
						List.of(node("db-2", cluster.replica(1).port())), Duration.ZERO));
		List<PoolEvent> events = new CopyOnWriteArrayList<>();
		Map<String, Object> properties = base();
		properties.put("app.datasource.topology.source", "custom");
		properties.put("app.datasource.topology.url-template", "jdbc:postgresql://{host}:{port}/" + DB);
		properties.put("app.datasource.topology.refresh-interval", "200ms");
		properties.put("app.datasource.primary.username", cluster.username());
		properties.put("app.datasource.primary.password", cluster.password());
		try (ConfigurableApplicationContext context = start(properties, events, nodes::get)) {
			nodes.set(new TopologySource.Nodes(node("db-1", cluster.primary().port()),
					List.of(node("db-2", cluster.replica(1).port()), node("db-3", cluster.replica(2).port())),
					Duration.ZERO));
			ReplicaAddedEvent added = awaitEvent(events, ReplicaAddedEvent.class,
					(event) -> event.getPool().equals("db-3"));
			assertThat(added.getAddress()).isEqualTo("127.0.0.1:" + cluster.replica(2).port());
			nodes.set(new TopologySource.Nodes(node("db-1", cluster.primary().port()),
					List.of(node("db-2", cluster.replica(1).port())), Duration.ZERO));
			awaitEvent(events, ReplicaRemovedEvent.class, (event) -> event.getPool().equals("db-3"));
			// A failover as a source reports it: the replica promoted, then named
			// primary.
			cluster.replica(2).promote();
			nodes.set(new TopologySource.Nodes(node("db-3", cluster.replica(2).port()),
					List.of(node("db-2", cluster.replica(1).port())), Duration.ZERO));
			PrimaryChangedEvent changed = awaitEvent(events, PrimaryChangedEvent.class, (event) -> true);
			assertThat(changed.getMember()).isEqualTo("db-3");
			assertThat(changed.getUrl()).contains(":" + cluster.replica(2).port() + "/");
			assertThat(context.getBean(TestApp.Writes.class).write()).isEqualTo("false:" + cluster.replica(2).port());
		}
	}

	@Test
	@Order(3)
	void aPoolWithNoConnectionToGiveIsPublishedAtMostOnceASecond() throws Exception {
		cluster.primary().start();
		List<PoolEvent> events = new CopyOnWriteArrayList<>();
		Map<String, Object> properties = base();
		properties.put("app.datasource.primary.url", cluster.primary().jdbcUrl(DB));
		properties.put("app.datasource.primary.username", cluster.username());
		properties.put("app.datasource.primary.password", cluster.password());
		properties.put("app.datasource.primary.maximum-pool-size", 1);
		properties.put("app.datasource.primary.connection-timeout", "300ms");
		try (ConfigurableApplicationContext context = start(properties, events, null)) {
			TestApp.Writes writes = context.getBean(TestApp.Writes.class);
			HikariDataSource primary = context.getBean("primaryDataSource", HikariDataSource.class);
			for (int burst = 1; burst <= 2; burst++) {
				ExecutorService callers = Executors.newFixedThreadPool(5);
				// One holds the only connection; four wait 300 ms for it and give up.
				callers.submit(() -> writes.slow(1500));
				await().atMost(5, TimeUnit.SECONDS)
					.until(() -> primary.getHikariPoolMXBean().getActiveConnections() == 1);
				List<java.util.concurrent.Future<?>> waits = new ArrayList<>();
				for (int i = 0; i < 4; i++) {
					waits.add(callers.submit(() -> writes.write()));
				}
				for (java.util.concurrent.Future<?> wait : waits) {
					assertThat(wait).failsWithin(Duration.ofSeconds(10));
				}
				callers.shutdown();
				assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
				int expected = burst;
				await().atMost(5, TimeUnit.SECONDS)
					.until(() -> events.stream().filter(PoolExhaustedEvent.class::isInstance).count() == expected);
			}
			List<PoolExhaustedEvent> exhausted = events.stream()
				.filter(PoolExhaustedEvent.class::isInstance)
				.map(PoolExhaustedEvent.class::cast)
				.toList();
			// Eight timed-out borrows in two bursts more than a second apart: two events.
			assertThat(exhausted).hasSize(2).allSatisfy((event) -> {
				assertThat(event.getPool()).isEqualTo("primary");
				assertThat(event.getMaximum()).isEqualTo(1);
				assertThat(event.getActive()).isEqualTo(1);
			});
		}
	}

	/** Collects every pool event, first of the listeners. */
	static final class Collector implements ApplicationListener<PoolEvent>, Ordered {

		private final List<PoolEvent> events;

		Collector(List<PoolEvent> events) {
			this.events = events;
		}

		@Override
		public void onApplicationEvent(PoolEvent event) {
			this.events.add(event);
		}

		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

	}

	/** A listener that fails at every pool event: the pools must not notice. */
	static final class Failing implements ApplicationListener<PoolEvent>, Ordered {

		@Override
		public void onApplicationEvent(PoolEvent event) {
			throw new IllegalStateException("a listener that fails");
		}

		@Override
		public int getOrder() {
			return Ordered.LOWEST_PRECEDENCE;
		}

	}

	private static TopologySource.Node node(String name, int port) {
		return new TopologySource.Node(name, "127.0.0.1", port, null);
	}

	private static Map<String, Object> base() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("app.datasource.primary.connection-timeout", "2s");
		properties.put("app.datasource.routing.health-check-interval", "200ms");
		properties.put("app.datasource.credentials.refresh-interval", "1s");
		properties.put("app.datasource.drain.timeout", "1s");
		properties.put("spring.flyway.enabled", false);
		properties.put("spring.main.banner-mode", "off");
		return properties;
	}

	private static ConfigurableApplicationContext start(Map<String, Object> properties, List<PoolEvent> events,
			TopologySource source) {
		SpringApplicationBuilder builder = new SpringApplicationBuilder(TestApp.class).web(WebApplicationType.NONE)
			.properties(properties)
			.listeners(new Collector(events), new Failing());
		if (source != null) {
			builder.initializers((context) -> context.getBeanFactory().registerSingleton("nodes", source));
		}
		return builder.run();
	}

	private static <T extends PoolEvent> T awaitEvent(List<PoolEvent> events, Class<T> type, Predicate<T> matching) {
		List<T> found = new ArrayList<>();
		await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50)).until(() -> {
			for (PoolEvent event : events) {
				if (type.isInstance(event) && matching.test(type.cast(event))) {
					found.add(type.cast(event));
					return true;
				}
			}
			return false;
		});
		return found.get(0);
	}

}
