package dev.pool.it;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.test.PatroniCluster;
import dev.pool.test.SharedPatroniCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The topology from a real Patroni cluster (etcd + three members on loopback): the
 * primary is the leader Patroni names, the replicas are its streaming members. The leader
 * is killed (SIGKILL of its Patroni and postmaster) under writes and reads: writes move
 * to the new leader as soon as Patroni names it and it accepts writes, without waiting
 * for the breaker's open-duration; the killed member comes back as a replica and a fourth
 * member is added, and both take reads, all without a restart.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class PatroniTopologyTests {

	private static final String DB = "patroni_topology";

	private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(3);

	/** The primary breaker's open-duration, which the switch must not wait for. */
	private static final Duration OPEN_DURATION = Duration.ofSeconds(30);

	private static PatroniCluster cluster;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		cluster = SharedPatroniCluster.withDatabase(DB);
		// Flyway migrates through the primaryDataSource bean, which follows the leader.
		registry.add("spring.flyway.locations", () -> "classpath:db/writes");
		cluster.topologyProperties(DB).forEach((name, value) -> registry.add(name, () -> value));
		registry.add("app.datasource.topology.refresh-interval", () -> "2s");
		registry.add("app.datasource.primary.maximum-pool-size", () -> "4");
		registry.add("app.datasource.primary.minimum-idle", () -> "1");
		registry.add("app.datasource.primary.connection-timeout", () -> CONNECTION_TIMEOUT.toMillis() + "ms");
		registry.add("app.datasource.primary.validation-timeout", () -> "1s");
		registry.add("app.datasource.routing.health-check-interval", () -> "500ms");
		registry.add("app.datasource.drain.timeout", () -> "1s");
		registry.add("app.datasource.circuit-breaker.open-duration", () -> OPEN_DURATION.toMillis() + "ms");
		registry.add("management.endpoints.web.exposure.include", () -> "health,pools,metrics");
		registry.add("management.endpoint.health.show-details", () -> "always");
	}

	@LocalServerPort
	int port;

	@Autowired
	TestApp.Reads reads;

	@Autowired
	TestApp.Writes writes;

	@Autowired
	LiveTopology topology;

	@Test
	void followsALeaderKillARejoinAndANewMemberWithoutARestart(CapturedOutput output) throws Exception {
		String leader = cluster.leader().orElseThrow();
		assertThat(this.writes.insert(0)).isEqualTo("false:" + cluster.port(leader));
		List<String> replicas = cluster.memberNames().stream().filter((member) -> !member.equals(leader)).toList();
		awaitReadsReach(replicas);
		DocumentContext before = JsonPath.parse(Http.get(this.port, "/actuator/pools").body());
		assertThat(before.read("$.topology.source", String.class)).isEqualTo("patroni");
		assertThat(before.read("$.topology.reachable", Boolean.class)).isTrue();
		for (String replica : replicas) {
			assertThat(before.read("$.pools['" + replica + "'].replica.status", String.class)).isEqualTo("UP");
			assertThat(before.read("$.pools['" + replica + "'].replica.address", String.class))
				.isEqualTo("127.0.0.1:" + cluster.port(replica));
		}

		Load load = new Load();
		load.start();
		long killed;
		String newLeader;
		Leadership leadership;
		try {
			killed = System.nanoTime();
			cluster.kill(leader);
			// When Patroni itself names a new leader, and when it has left recovery.
			leadership = awaitNewLeader(leader);
			newLeader = cluster.leader().orElseThrow();
			int newPort = cluster.port(newLeader);
			await().atMost(OPEN_DURATION)
				.pollInterval(Duration.ofMillis(5))
				.until(() -> load.firstWriteOn(newPort) != 0);
			long firstWrite = load.firstWriteOn(newPort);
			String phases = "leader " + leader + " killed; Patroni named " + newLeader + " "
					+ millis(leadership.named() - killed) + " ms later; it accepted writes "
					+ millis(leadership.writable() - leadership.named()) + " ms after that; first write on it "
					+ millis(firstWrite - leadership.named()) + " ms after it was named";
			System.out.println("[patroni] " + phases);
			// The claim here is the breaker's open-duration is not waited for: the old
			// breaker opened at the kill, so waiting for it would put the first write
			// about OPEN_DURATION - (named - killed) after the naming. How fast the
			// switch is, is measured in benchmarks (docs/benchmarks.md), not bounded
			// here.
			assertThat(Duration.ofNanos(firstWrite - leadership.writable()))
				.as("from the new leader accepting writes to the first write on it (%s)", phases)
				.isLessThan(OPEN_DURATION.dividedBy(3));
			// Keep the load on the new primary for a moment.
			long settled = System.nanoTime();
			await().atMost(10, TimeUnit.SECONDS).until(() -> load.writesOn(newPort) >= 20);
			assertThat(System.nanoTime() - settled).isPositive();
		}
		finally {
			load.stop();
		}
		System.out.println("[patroni] writes ok " + load.writesOk.get() + ", failed " + load.writesFailed.get()
				+ ", slowest answer " + load.slowestMillis.get() + " ms; reads ok " + load.readsOk.get() + ", failed "
				+ load.readsFailed.get());
		assertThat(load.slowestMillis.get()).as("ms for the slowest write or read")
			.isLessThanOrEqualTo(CONNECTION_TIMEOUT.plusSeconds(1).toMillis());
		assertThat(load.inRecoveryWrites).as("writes acknowledged by a node in recovery").isEmpty();
		assertThat(load.readsFailed.get()).isZero();
		assertThat(load.unexpected).as("failures other than a refused or unavailable connection").isEmpty();
		assertThat(output).contains("Primary is now '" + newLeader + "'");
		// The breaker's open-duration was not waited for.
		assertThat(this.topology.current().primary().breaker().state()).isEqualTo("CLOSED");
		// The new leader left the replicas: no reads, no meters of its own as a replica.
		await().atMost(10, TimeUnit.SECONDS)
			.untilAsserted(() -> assertThat(
					Http.get(this.port, "/actuator/metrics/pool.replica.available?tag=pool:" + newLeader).statusCode())
				.isEqualTo(404));

		// The killed member rejoins as a replica, a fourth member joins: both take reads.
		cluster.start(leader);
		String added = cluster.addMember();
		cluster.awaitHealthy(Duration.ofSeconds(90));
		List<String> nowReplicas = cluster.memberNames()
			.stream()
			.filter((member) -> !member.equals(newLeader))
			.toList();
		assertThat(nowReplicas).contains(leader, added);
		awaitReadsReach(nowReplicas);
		assertThat(output).contains("Replica '" + leader + "'").contains("Replica '" + added + "'");
		DocumentContext metrics = JsonPath
			.parse(Http.get(this.port, "/actuator/metrics/pool.routing.decisions?tag=target:" + added).body());
		assertThat(metrics.read("$.measurements[0].value", Double.class)).isPositive();
		assertThat(Http.get(this.port, "/actuator/metrics/hikaricp.connections?tag=pool:" + added).statusCode())
			.isEqualTo(200);
		HttpResponse<String> health = Http.get(this.port, "/actuator/health");
		assertThat(health.statusCode()).isEqualTo(200);
		DocumentContext db = JsonPath.parse(health.body());
		assertThat(db.read("$.components.db.details['" + added + "'].replica.status", String.class)).isEqualTo("UP");
		assertThat(db.read("$.components.db.details.topology.source", String.class)).isEqualTo("patroni");
		String pools = Http.get(this.port, "/actuator/pools").body();
		System.out.println("[patroni] pools after: " + pools);
		DocumentContext after = JsonPath.parse(pools);
		assertThat(after.read("$.pools['" + added + "'].replica.address", String.class))
			.isEqualTo("127.0.0.1:" + cluster.port(added));
		assertThat(after.read("$.pools.primary.url", String.class)).contains(":" + cluster.port(newLeader) + "/");
	}

	// Polls Patroni itself, as often as its API answers, for a different running leader
	// that is out of recovery; returns when Patroni first named it and when a connection
	// first found it out of recovery.
	private static Leadership awaitNewLeader(String old) throws Exception {
		long firstNamed = 0;
		String candidate = null;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < deadline) {
			Optional<String> leader = cluster.leader();
			if (leader.isPresent() && !leader.get().equals(old)) {
				if (!leader.get().equals(candidate)) {
					candidate = leader.get();
					firstNamed = System.nanoTime();
				}
				try (var connection = cluster.connect(candidate, "postgres");
						var statement = connection.createStatement();
						var rs = statement.executeQuery("SELECT pg_is_in_recovery()")) {
					rs.next();
					if (!rs.getBoolean(1)) {
						return new Leadership(firstNamed, System.nanoTime());
					}
				}
				catch (java.sql.SQLException ex) {
					// Not accepting connections yet.
				}
			}
			Thread.sleep(20);
		}
		throw new AssertionError("Patroni named no new leader within 60 s:\n" + cluster.logTails());
	}

	private static long millis(long nanos) {
		return nanos / 1_000_000;
	}

	/** When Patroni first named the new leader and when it was first seen writable. */
	private record Leadership(long named, long writable) {
	}

	private void awaitReadsReach(List<String> members) {
		Set<String> wanted = ConcurrentHashMap.newKeySet();
		members.forEach((member) -> wanted.add("true:" + cluster.port(member)));
		Set<String> seen = ConcurrentHashMap.newKeySet();
		await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
			seen.add(this.reads.node());
			assertThat(seen).containsAll(wanted);
		});
	}

	/** Two writers and two readers, each call's outcome and duration recorded. */
	private final class Load {

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicLong ids = new AtomicLong(1);

		private final AtomicLong writesOk = new AtomicLong();

		private final AtomicLong writesFailed = new AtomicLong();

		private final AtomicLong readsOk = new AtomicLong();

		private final AtomicLong readsFailed = new AtomicLong();

		private final AtomicLong slowestMillis = new AtomicLong();

		private final Map<Integer, AtomicLong> firstWrite = new ConcurrentHashMap<>();

		private final Map<Integer, AtomicLong> writesPerPort = new ConcurrentHashMap<>();

		private final ConcurrentLinkedQueue<String> inRecoveryWrites = new ConcurrentLinkedQueue<>();

		private final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();

		private final List<Thread> threads = new ArrayList<>();

		void start() {
			for (int i = 0; i < 2; i++) {
				this.threads.add(new Thread(this::write, "writer-" + i));
				this.threads.add(new Thread(this::read, "reader-" + i));
			}
			this.threads.forEach(Thread::start);
		}

		void stop() throws InterruptedException {
			this.running.set(false);
			for (Thread thread : this.threads) {
				thread.join(30_000);
			}
		}

		long firstWriteOn(int port) {
			AtomicLong at = this.firstWrite.get(port);
			return (at != null) ? at.get() : 0;
		}

		long writesOn(int port) {
			AtomicLong count = this.writesPerPort.get(port);
			return (count != null) ? count.get() : 0;
		}

		private void write() {
			while (this.running.get()) {
				long start = System.nanoTime();
				try {
					String node = PatroniTopologyTests.this.writes.insert(this.ids.getAndIncrement());
					long now = System.nanoTime();
					took(start, now);
					this.writesOk.incrementAndGet();
					if (!node.startsWith("false:")) {
						this.inRecoveryWrites.add(node);
					}
					int port = Integer.parseInt(node.substring(node.indexOf(':') + 1));
					this.firstWrite.computeIfAbsent(port, (key) -> new AtomicLong(now));
					this.writesPerPort.computeIfAbsent(port, (key) -> new AtomicLong()).incrementAndGet();
				}
				catch (RuntimeException ex) {
					took(start, System.nanoTime());
					this.writesFailed.incrementAndGet();
					expected(ex);
					pause();
				}
			}
		}

		private void read() {
			while (this.running.get()) {
				long start = System.nanoTime();
				try {
					PatroniTopologyTests.this.reads.node();
					this.readsOk.incrementAndGet();
				}
				catch (RuntimeException ex) {
					this.readsFailed.incrementAndGet();
					this.unexpected.add("read: " + ex);
				}
				took(start, System.nanoTime());
			}
		}

		// A write may fail while the primary is gone: refused, lost, unavailable.
		private void expected(RuntimeException ex) {
			if (!dev.pool.internal.failure.ConnectionFailures.isConnectionFailure(ex)
					&& !(hasCause(ex, dev.pool.ConnectionUnavailableException.class))) {
				this.unexpected.add("write: " + ex);
			}
		}

		private void took(long start, long end) {
			this.slowestMillis.accumulateAndGet((end - start) / 1_000_000, Math::max);
		}

		private void pause() {
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

	private static boolean hasCause(Throwable ex, Class<?> type) {
		for (Throwable current = ex; current != null; current = current.getCause()) {
			if (type.isInstance(current)) {
				return true;
			}
			if (current.getCause() == current) {
				break;
			}
		}
		return false;
	}

}
