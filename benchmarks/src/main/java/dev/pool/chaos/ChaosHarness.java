package dev.pool.chaos;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.pool.test.PatroniCluster;
import dev.pool.test.PatroniCluster.MemberState;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The chaos soak: a real Patroni cluster (etcd + 3 members on loopback), two instances of
 * {@link ChaosApp} in front of it, clients under mixed load over HTTP, and faults on a
 * schedule drawn from a seed. At the end the {@link Checker} reads the database directly
 * and replays the clients' history; the last line printed is
 * {@code chaos: lost=N stale=N unanswered=N late=N calm503=N}, and the exit status is 1
 * when a figure that must be 0 is not.
 * <p>
 * System properties: {@code chaos.duration} (default 10m), {@code chaos.seed} (42),
 * {@code chaos.sync} (true: Patroni's synchronous mode), {@code chaos.out} (the directory
 * for the report, default {@code docs/benchmarks}), {@code chaos.name} (the report files'
 * prefix, default {@code chaos-sync} or {@code chaos-async}), {@code chaos.history} (the
 * directory for the whole gzipped history, default {@code benchmarks/target/chaos}).
 */
public final class ChaosHarness {

	static final int CLIENTS = 12;

	static final int BURST_CLIENTS = 40;

	private static final long WARM_UP_MILLIS = 6_000;

	private static final Duration HEALTHY = Duration.ofSeconds(120);

	private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);

	private final PatroniCluster cluster;

	private final List<URI> instances;

	private final Random random;

	private final long began = System.nanoTime();

	private final ConcurrentLinkedQueue<Request> history = new ConcurrentLinkedQueue<>();

	private final List<Fault> faults = new ArrayList<>();

	private final AtomicBoolean running = new AtomicBoolean(true);

	private ChaosHarness(PatroniCluster cluster, List<URI> instances, long seed) {
		this.cluster = cluster;
		this.instances = instances;
		this.random = new Random(seed);
	}

	public static void main(String[] args) throws Exception {
		Duration duration = parse(System.getProperty("chaos.duration", "10m"));
		long seed = Long.parseLong(System.getProperty("chaos.seed", "42"));
		boolean sync = Boolean.parseBoolean(System.getProperty("chaos.sync", "true"));
		Path out = Path.of(System.getProperty("chaos.out", "docs/benchmarks"));
		String name = System.getProperty("chaos.name", sync ? "chaos-sync" : "chaos-async");
		Path historyDir = Path.of(System.getProperty("chaos.history", "benchmarks/target/chaos"));
		Files.createDirectories(out);
		log("cluster: 3 Patroni members, " + (sync ? "synchronous" : "asynchronous") + " replication; seed " + seed
				+ ", " + duration.toSeconds() + " s of faults");
		Checker.Result result;
		// wal_sender_timeout 5 s: a frozen synchronous standby stops holding commits
		// after 5 s instead of PostgreSQL's 60 (Patroni then names another).
		try (PatroniCluster cluster = PatroniCluster.builder()
			.members(3)
			.synchronousMode(sync)
			.walSenderTimeout(Duration.ofSeconds(5))
			.start()) {
			cluster.createDatabase("chaos");
			createTables(cluster);
			awaitTablesOnEveryMember(cluster);
			Map<String, Object> connection = new LinkedHashMap<>(cluster.topologyProperties("chaos"));
			try (ConfigurableApplicationContext first = ChaosApp.start(connection);
					ConfigurableApplicationContext second = ChaosApp.start(connection)) {
				List<URI> instances = List.of(uri(first), uri(second));
				log("instances: " + instances);
				ChaosHarness harness = new ChaosHarness(cluster, instances, seed);
				boolean completed = false;
				try {
					harness.run(duration);
					cluster.awaitHealthy(HEALTHY);
					completed = true;
				}
				catch (Exception ex) {
					// The schedule could not go on (the cluster did not recover): the
					// history so far is still checked, and the run fails.
					log("the fault schedule stopped: " + ex);
					ex.printStackTrace();
				}
				try {
					result = new Checker(sync, List.copyOf(harness.history), List.copyOf(harness.faults),
							committed(cluster), ChaosApp.CONNECTION_TIMEOUT_MILLIS + 1_000L)
						.check(out, historyDir, name, seed, duration);
				}
				catch (Exception ex) {
					ex.printStackTrace();
					System.out.println("chaos: lost=? stale=? unanswered=? late=? calm503=? (not checked: " + ex + ")");
					System.exit(1);
					return;
				}
				if (!completed) {
					System.out.println("the fault schedule did not complete: the run fails whatever the figures");
					System.out.println(result.lastLine());
					System.exit(1);
				}
			}
		}
		System.out.println(result.lastLine());
		System.exit(result.passed() ? 0 : 1);
	}

	private void run(Duration duration) throws InterruptedException {
		List<Thread> clients = new ArrayList<>();
		for (int c = 1; c <= CLIENTS; c++) {
			clients.add(client(c, this.running, false));
		}
		clients.forEach(Thread::start);
		try {
			Thread.sleep(WARM_UP_MILLIS);
			long end = now() + duration.toMillis();
			while (now() < end) {
				Fault.Kind kind = Fault.Kind.values()[this.random.nextInt(Fault.Kind.values().length)];
				Fault fault = inject(kind);
				this.faults.add(fault);
				log(String.format("%-15s %-5s %s: %.1f s - %.1f s", fault.kind().code, fault.target(), fault.detail(),
						fault.startMillis() / 1000.0, fault.endMillis() / 1000.0));
				// A calm period after each fault, longer than the recovery allowance, so
				// the checker can tell calm from faulty.
				Thread.sleep(Checker.SETTLE_MILLIS + 4_000 + this.random.nextInt(6_000));
			}
		}
		finally {
			this.running.set(false);
			for (Thread client : clients) {
				client.join(CLIENT_TIMEOUT.toMillis() + 5_000);
			}
		}
	}

	private Fault inject(Fault.Kind kind) throws InterruptedException {
		this.cluster.awaitHealthy(HEALTHY);
		long start = now();
		String target;
		String detail;
		switch (kind) {
			case LEADER_KILL -> {
				target = leader();
				this.cluster.kill(target);
				String next = awaitLeaderOtherThan(target);
				this.cluster.start(target);
				detail = "new leader " + next;
			}
			case SWITCHOVER -> {
				String from = leader();
				target = candidate();
				this.cluster.switchover(target);
				this.cluster.await("leader " + target,
						(state) -> state.stream()
							.anyMatch((m) -> m.name().equals(target) && m.isLeader() && "running".equals(m.state())),
						HEALTHY);
				detail = "from " + from;
			}
			case REPLICA_KILL -> {
				target = replica();
				this.cluster.kill(target);
				long down = 3_000 + this.random.nextInt(5_000);
				Thread.sleep(down);
				this.cluster.start(target);
				detail = "down " + down + " ms";
			}
			case FREEZE -> {
				List<String> running = running();
				target = running.get(this.random.nextInt(running.size()));
				boolean wasLeader = target.equals(leader());
				long frozen = 5_000 + this.random.nextInt(15_001);
				this.cluster.freeze(target);
				Thread.sleep(frozen);
				this.cluster.thaw(target);
				detail = (wasLeader ? "leader" : "replica") + " frozen " + frozen + " ms";
			}
			case REPLAY_DELAY -> {
				target = replica();
				long paused = 5_000 + this.random.nextInt(10_001);
				// Not pg_wal_replay_pause(): Patroni resumes a paused replay at its
				// next loop.
				this.cluster.stallReplay(target);
				Thread.sleep(paused);
				this.cluster.resumeReplay(target);
				detail = "replay stalled " + paused + " ms";
			}
			case MEMBER_REPLACED -> {
				target = replica();
				detail = "replaced by " + this.cluster.replace(target);
			}
			case BURST -> {
				target = "";
				AtomicBoolean bursting = new AtomicBoolean(true);
				List<Thread> burst = new ArrayList<>();
				for (int c = 0; c < BURST_CLIENTS; c++) {
					burst.add(client(1_000 + this.faults.size() * 100 + c, bursting, true));
				}
				burst.forEach(Thread::start);
				Thread.sleep(5_000);
				bursting.set(false);
				for (Thread client : burst) {
					client.join(CLIENT_TIMEOUT.toMillis() + 5_000);
				}
				detail = BURST_CLIENTS + " more clients for 5 s";
			}
			default -> throw new IllegalStateException(kind.toString());
		}
		List<MemberState> whole = this.cluster.awaitHealthy(HEALTHY);
		Set<Integer> replicas = new TreeSet<>();
		whole.stream().filter(MemberState::isServing).forEach((m) -> replicas.add(m.port()));
		return new Fault(kind, target, detail, start, now(), replicas);
	}

	// A client: one request at a time to either instance, its cookies kept.
	private Thread client(int id, AtomicBoolean running, boolean burst) {
		Random random = new Random(this.random.nextLong());
		HttpClient http = HttpClient.newBuilder()
			.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
			.connectTimeout(Duration.ofSeconds(2))
			.build();
		Thread thread = new Thread(() -> {
			int seq = 0;
			int acknowledged = -1;
			while (running.get()) {
				int draw = random.nextInt(100);
				Request.Op op = burst ? ((draw < 30) ? Request.Op.WRITE : Request.Op.READ)
						: (draw < 30) ? Request.Op.TX_WRITE
								: (draw < 50) ? Request.Op.WRITE : (draw < 80) ? Request.Op.OWN_READ : Request.Op.READ;
				int instance = random.nextInt(this.instances.size());
				URI base = this.instances.get(instance);
				HttpRequest.Builder request = HttpRequest.newBuilder().timeout(CLIENT_TIMEOUT);
				int asked = op.isWrite() ? ++seq : acknowledged;
				request = switch (op) {
					case TX_WRITE -> request.uri(base.resolve("/writes/" + id + "/" + asked + "?tx=true"))
						.POST(HttpRequest.BodyPublishers.noBody());
					case WRITE -> request.uri(base.resolve("/writes/" + id + "/" + asked + "?tx=false"))
						.POST(HttpRequest.BodyPublishers.noBody());
					case OWN_READ -> request.uri(base.resolve("/own/" + id)).GET();
					case READ -> request.uri(base.resolve("/any")).GET();
				};
				long start = now();
				int status;
				int port = 0;
				int value = 0;
				try {
					HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
					status = response.statusCode();
					if (status == 200) {
						String[] body = response.body().trim().split(" ");
						if (op == Request.Op.OWN_READ) {
							value = Integer.parseInt(body[0]);
							port = Integer.parseInt(body[1]);
						}
						else {
							port = Integer.parseInt(body[0]);
						}
						if (op.isWrite()) {
							acknowledged = asked;
							// 1 when the answer carried the write's position
							value = response.headers().firstValue("DB-Consistency").isPresent() ? 1 : 0;
						}
					}
				}
				catch (HttpTimeoutException ex) {
					status = Request.UNANSWERED;
				}
				catch (IOException ex) {
					status = Request.NO_CONNECTION;
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
				this.history.add(new Request(id, instance, op, asked, start, now(), status, port, value));
			}
		}, (burst ? "burst-" : "client-") + id);
		thread.setDaemon(true);
		return thread;
	}

	private String leader() {
		return this.cluster.leader().orElseThrow(() -> new IllegalStateException("no leader"));
	}

	private List<String> running() {
		return this.cluster.memberNames().stream().filter(this.cluster::isRunning).toList();
	}

	private String replica() {
		String leader = leader();
		List<String> replicas = running().stream().filter((member) -> !member.equals(leader)).toList();
		return replicas.get(this.random.nextInt(replicas.size()));
	}

	// In synchronous mode Patroni switches over only to the synchronous standby.
	private String candidate() {
		List<MemberState> state = this.cluster.state();
		List<String> sync = state.stream()
			.filter((m) -> "sync_standby".equals(m.role()))
			.map(MemberState::name)
			.toList();
		if (!sync.isEmpty()) {
			return sync.get(this.random.nextInt(sync.size()));
		}
		return replica();
	}

	private String awaitLeaderOtherThan(String old) {
		return this.cluster
			.await("a leader other than " + old,
					(state) -> state.stream()
						.anyMatch((m) -> !m.name().equals(old) && m.isLeader() && "running".equals(m.state())),
					HEALTHY)
			.stream()
			.filter(MemberState::isLeader)
			.findFirst()
			.orElseThrow()
			.name();
	}

	private long now() {
		return (System.nanoTime() - this.began) / 1_000_000;
	}

	private static void createTables(PatroniCluster cluster) throws SQLException {
		String leader = cluster.leader().orElseThrow();
		try (Connection connection = cluster.connect(leader, "chaos");
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE chaos_write (client int, seq int, tx boolean, PRIMARY KEY (client, seq))");
			statement.execute("CREATE TABLE chaos_last (client int PRIMARY KEY, seq int)");
		}
	}

	// As a deployment waits for readiness: the instances start once every replica has
	// replayed the schema, so no read falls back to the primary before the first fault
	// (the first 10-minute run counted such a 503, 41 ms into the run, as a calm one).
	private static void awaitTablesOnEveryMember(PatroniCluster cluster) throws InterruptedException {
		long deadline = System.nanoTime() + HEALTHY.toNanos();
		for (String member : cluster.memberNames()) {
			while (true) {
				try (Connection connection = cluster.connect(member, "chaos");
						Statement statement = connection.createStatement()) {
					statement.executeQuery("SELECT count(*) FROM chaos_last").close();
					break;
				}
				catch (SQLException ex) {
					if (System.nanoTime() > deadline) {
						throw new IllegalStateException(member + " has not replayed the schema: " + ex.getMessage(),
								ex);
					}
					Thread.sleep(100);
				}
			}
		}
	}

	// The truth, read on the leader once the cluster is whole: every (client, seq)
	// stored.
	private static Set<Long> committed(PatroniCluster cluster) throws SQLException {
		Set<Long> rows = new HashSet<>();
		String leader = cluster.leader().orElseThrow();
		try (Connection connection = cluster.connect(leader, "chaos");
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT client, seq FROM chaos_write")) {
			while (rs.next()) {
				rows.add(Checker.key(rs.getInt(1), rs.getInt(2)));
			}
		}
		return rows;
	}

	private static URI uri(ConfigurableApplicationContext app) {
		int port = ((WebServerApplicationContext) app).getWebServer().getPort();
		return URI.create("http://127.0.0.1:" + port);
	}

	static Duration parse(String text) {
		String value = text.trim().toLowerCase(java.util.Locale.ROOT);
		if (value.endsWith("ms")) {
			return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
		}
		long amount = Long.parseLong(value.substring(0, value.length() - 1));
		return switch (value.charAt(value.length() - 1)) {
			case 's' -> Duration.ofSeconds(amount);
			case 'm' -> Duration.ofMinutes(amount);
			case 'h' -> Duration.ofHours(amount);
			default -> throw new IllegalArgumentException("chaos.duration: not a duration: " + text);
		};
	}

	static void log(String line) {
		System.out.println("[chaos " + Instant.now() + "] " + line);
	}

}
