package dev.pool.it;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.pool.PoolCredentials;
import dev.pool.internal.failure.ConnectionFailures;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.internal.topology.ReplicaNode;
import dev.pool.internal.topology.Topology;
import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.PostgresNode;
import dev.pool.test.SharedEmbeddedPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Logins that change under load, on the embedded cluster (scram-sha-256 over TCP, so a
 * wrong password really fails): a password rotated in the database before its secret
 * file, a new database user per rotation with the old one revoked, and a provider bean
 * that hands out a new token for every connection. Writes go to the primary, reads to the
 * replica; no request may fail, every session must log in again with the new login within
 * the refresh interval plus 5 s, and no secret may appear in the output or in an
 * endpoint's body.
 */
@ExtendWith(OutputCaptureExtension.class)
class CredentialRotationTests {

	private static final String DB = "rotation_test";

	// refresh-interval + 5 s, the target for every session to carry the new login.
	private static final Duration TARGET = Duration.ofSeconds(6);

	@TempDir
	Path secrets;

	@Test
	void aPasswordChangedBeforeItsFileIsNoOutageAndEverySessionLogsInAgain(CapturedOutput output) throws Exception {
		EmbeddedPostgresCluster cluster = SharedEmbeddedPostgres.withDatabase(DB);
		String first = "first-Secret-7a1c";
		String second = "second-Secret-9e4d";
		createRole(cluster, "rot_app", first);
		SecretVolume volume = new SecretVolume(this.secrets, Map.of("password", first));
		Map<String, Object> properties = app(cluster, true);
		properties.put("app.datasource.primary.username", "rot_app");
		properties.put("app.datasource.primary.password-file", volume.file("password").toString());
		try (ConfigurableApplicationContext context = start(properties, null); Load load = new Load(context)) {
			load.awaitServed(200);
			// The database first: new logins with the file's password fail from now on.
			alter(cluster, "rot_app", second);
			awaitLoginRefused(cluster.primary(), "rot_app", first);
			awaitLoginRefused(cluster.replica(1), "rot_app", first);
			long servedInWindow = load.served();
			// Health logs in with what the file says: refused, and still UP.
			DocumentContext health = await().atMost(10, TimeUnit.SECONDS)
				.ignoreExceptions()
				.until(() -> JsonPath.parse(Http.get(port(context), "/actuator/health/db").body()),
						(json) -> json.read("$.details.primary.newConnections") != null);
			assertThat(health.read("$.status", String.class)).isEqualTo("UP");
			assertThat(health.read("$.details.primary.status", String.class)).isEqualTo("UP");
			assertThat(health.read("$.details.primary.newConnections", String.class)).startsWith("refused: ")
				.contains("password authentication failed");
			// The file two seconds later, as a secret manager writes it.
			await().atMost(30, TimeUnit.SECONDS)
				.until(() -> load.served() >= servedInWindow + 100 && load.elapsedSince(servedInWindow) >= 2000);
			Timestamp changed = now(cluster.primary());
			volume.update(Map.of("password", second));
			long sessions = awaitEverySessionSince(cluster, "rot_app", changed);
			load.awaitServed(load.served() + 200);
			load.stop();
			System.out.println("[rotation] password file: every session logged in again after "
					+ load.millisSince(changed) + " ms (" + sessions + " sessions), " + load.served() + " requests");
			assertThat(load.failures()).as("failed requests").isEmpty();
			assertThat(load.breakerNotClosed.get()).as("observations of the breaker not closed").isZero();
			assertThat(load.replicaDown.get()).as("observations of the replica ejected").isZero();

			DocumentContext pools = JsonPath.parse(Http.get(port(context), "/actuator/pools").body());
			Object credentials = pools.read("$.pools.primary.credentials");
			System.out
				.println("[rotation] /actuator/pools primary credentials: " + JsonPath.parse(credentials).jsonString());
			System.out.println("[rotation] health while the database refused the file's password: "
					+ JsonPath.parse((Object) health.read("$.details.primary")).jsonString());
			assertThat(pools.read("$.pools.primary.credentials.source", String.class))
				.isEqualTo("app.datasource.primary.password-file " + volume.file("password"));
			assertThat(pools.read("$.pools.primary.credentials.rotations", Integer.class)).isEqualTo(1);
			assertThat(pools.read("$.pools.primary.credentials.oldConnections", Integer.class)).isZero();
			assertThat(pools.read("$.pools['replica-1'].credentials.rotations", Integer.class)).isEqualTo(1);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("pool.credentials.rotations").tag("pool", "primary").functionCounter().count())
				.isEqualTo(1.0);
			String bodies = Http.get(port(context), "/actuator/pools").body()
					+ Http.get(port(context), "/actuator/health").body()
					+ Http.get(port(context), "/actuator/pools/primary").body();
			assertThat(bodies).doesNotContain(first).doesNotContain(second);
		}
		assertThat(output.getAll()).doesNotContain(first).doesNotContain(second);
	}

	@Test
	void aFileChangedBeforeTheDatabaseCostsOneConnectionUntilTheNewPasswordWorks() throws Exception {
		EmbeddedPostgresCluster cluster = SharedEmbeddedPostgres.withDatabase(DB);
		String first = "early-First-51d0";
		String second = "early-Second-0c7a";
		createRole(cluster, "rot_early", first);
		SecretVolume volume = new SecretVolume(this.secrets, Map.of("password", first));
		Map<String, Object> properties = app(cluster, true);
		properties.put("app.datasource.primary.username", "rot_early");
		properties.put("app.datasource.primary.password-file", volume.file("password").toString());
		try (ConfigurableApplicationContext context = start(properties, null); Load load = new Load(context)) {
			load.awaitServed(200);
			// HikariCP opens a pool's connections beyond the first in the background: a
			// pool still filling when the file changes would try its next ones with the
			// new password and hold fewer than four of the old.
			HikariDataSource primary = context.getBean("primaryDataSource", HikariDataSource.class);
			HikariDataSource replica = context.getBean("replica-1DataSource", HikariDataSource.class);
			await().atMost(10, TimeUnit.SECONDS)
				.until(() -> primary.getHikariPoolMXBean().getTotalConnections() == 4
						&& replica.getHikariPoolMXBean().getTotalConnections() == 4);
			// The file first: its password does not work yet.
			volume.update(Map.of("password", second));
			await().atMost(10, TimeUnit.SECONDS)
				.until(() -> JsonPath.parse(Http.get(port(context), "/actuator/pools").body())
					.read("$.pools.primary.credentials.generation", Integer.class) == 1);
			long servedAfterFile = load.served();
			await().atMost(30, TimeUnit.SECONDS)
				.until(() -> load.served() >= servedAfterFile + 100 && load.elapsedSince(servedAfterFile) >= 2000);
			// One connection per pool was tried as the canary; the others keep working.
			DocumentContext pools = JsonPath.parse(Http.get(port(context), "/actuator/pools").body());
			System.out.println("[rotation] file before database, 2 s on: primary " + connections(primary) + ", old "
					+ pools.read("$.pools.primary.credentials.oldConnections") + "; replica-1 " + connections(replica)
					+ ", old " + pools.read("$.pools['replica-1'].credentials.oldConnections"));
			assertThat(pools.read("$.pools.primary.credentials.oldConnections", Integer.class)).isEqualTo(3);
			assertThat(pools.read("$.pools['replica-1'].credentials.oldConnections", Integer.class)).isEqualTo(3);
			assertThat(load.failures()).as("failed requests while the new password does not work").isEmpty();
			Timestamp changed = now(cluster.primary());
			alter(cluster, "rot_early", second);
			// Paced by HikariCP's back-off between refused attempts (up to seconds), then
			// by the retirement.
			awaitEverySessionSince(cluster, "rot_early", changed, Duration.ofSeconds(15));
			load.awaitServed(load.served() + 200);
			load.stop();
			System.out.println("[rotation] file before database: every session logged in again "
					+ load.millisSince(changed) + " ms after the database changed");
			assertThat(load.failures()).as("failed requests").isEmpty();
			assertThat(load.breakerNotClosed.get()).as("observations of the breaker not closed").isZero();
			assertThat(load.replicaDown.get()).as("observations of the replica ejected").isZero();
		}
	}

	@Test
	void aNewUserPerRotationTakesOverAndTheRevokedOneIsReplaced(CapturedOutput output) throws Exception {
		EmbeddedPostgresCluster cluster = SharedEmbeddedPostgres.withDatabase(DB);
		createRole(cluster, "rot_lease_1", "lease-1-Pw-3f2b");
		SecretVolume volume = new SecretVolume(this.secrets,
				Map.of("username", "rot_lease_1", "password", "lease-1-Pw-3f2b"));
		Map<String, Object> properties = app(cluster, true);
		properties.put("app.datasource.primary.username-file", volume.file("username").toString());
		properties.put("app.datasource.primary.password-file", volume.file("password").toString());
		// A terminated session ejects the replica until its next check (200 ms): its
		// reads may all fall back to the primary meanwhile.
		properties.put("app.datasource.routing.fallback-max-connections", 4);
		try (ConfigurableApplicationContext context = start(properties, null); Load load = new Load(context)) {
			load.awaitServed(200);
			// Lease 2, as Vault's database engine issues it: a new user, both keys of the
			// secret replaced at once; lease 1 is revoked once every session left it.
			createRole(cluster, "rot_lease_2", "lease-2-Pw-8d01");
			Timestamp changed = now(cluster.primary());
			volume.update(Map.of("username", "rot_lease_2", "password", "lease-2-Pw-8d01"));
			awaitEverySessionSince(cluster, "rot_lease_2", changed);
			assertThat(sessions(cluster.primary(), "rot_lease_1") + sessions(cluster.replica(1), "rot_lease_1"))
				.isZero();
			revoke(cluster, "rot_lease_1");
			load.awaitServed(load.served() + 200);
			assertThat(load.failures()).as("failed requests after a rotation to a new user").isEmpty();

			// Lease 3, and lease 2 revoked at once: the server terminates the sessions
			// the pool still has. Reads in flight run again; a write in flight fails as
			// a lost connection; everything after that logs in as lease 3.
			createRole(cluster, "rot_lease_3", "lease-3-Pw-c55e");
			changed = now(cluster.primary());
			volume.update(Map.of("username", "rot_lease_3", "password", "lease-3-Pw-c55e"));
			revoke(cluster, "rot_lease_2");
			awaitEverySessionSince(cluster, "rot_lease_3", changed);
			int failedBefore = load.failures().size();
			load.awaitServed(load.served() + 300);
			load.stop();
			List<Throwable> failures = load.failures();
			System.out.println("[rotation] new user per lease: " + load.served() + " requests, " + failures.size()
					+ " failed when lease 2 was revoked under them (" + load.failedReads.get() + " reads)");
			// A read runs again (once per replica, as after any broken connection); one
			// whose second attempt also met a terminated session fails like a write.
			assertThat(failures).as("requests in flight fail only as lost connections")
				.allSatisfy((failure) -> assertThat(ConnectionFailures.isConnectionFailure(failure)).isTrue());
			assertThat(failures.size()).as("failures after the sessions were replaced").isEqualTo(failedBefore);
			assertThat(load.breakerNotClosed.get()).as("observations of the breaker not closed").isZero();
			DocumentContext pools = JsonPath.parse(Http.get(port(context), "/actuator/pools").body());
			assertThat(pools.read("$.pools.primary.credentials.source", String.class)).contains("username-file")
				.contains("password-file");
			assertThat(pools.read("$.pools.primary.credentials.generation", Integer.class)).isEqualTo(2);
		}
		assertThat(output.getAll()).doesNotContain("lease-1-Pw-3f2b")
			.doesNotContain("lease-2-Pw-8d01")
			.doesNotContain("lease-3-Pw-c55e");
	}

	@Test
	void aProviderIsAskedForEveryConnectionAndATokenRetiresNothing(CapturedOutput output) throws Exception {
		EmbeddedPostgresCluster cluster = SharedEmbeddedPostgres.withDatabase(DB);
		createRole(cluster, "rot_token", "not-a-token");
		TokenMint mint = new TokenMint(cluster, "rot_token");
		Map<String, Object> properties = app(cluster, false);
		try (ConfigurableApplicationContext context = start(properties, mint); Load load = new Load(context)) {
			load.awaitServed(200);
			HikariDataSource primary = context.getBean("primaryDataSource", HikariDataSource.class);
			// The pool's four sessions and nothing else: a health check's session (same
			// login and application name) may be open, or linger a moment after it
			// closed, beside them, and a pool connection may be being replaced.
			await().atMost(10, TimeUnit.SECONDS)
				.pollInterval(Duration.ofMillis(20))
				.until(() -> primary.getHikariPoolMXBean().getTotalConnections() == 4
						&& backends(cluster.primary(), "rot_token").size() == 4);
			Set<Integer> before = backends(cluster.primary(), "rot_token");
			assertThat(before).isNotEmpty();
			int tokensBefore = mint.minted.get();
			// Refreshes pass (each asks the provider for a new token): the pool's four
			// sessions stay (health checks come and go beside them).
			await().atMost(10, TimeUnit.SECONDS).until(() -> mint.minted.get() >= tokensBefore + 2);
			Set<Integer> after = backends(cluster.primary(), "rot_token");
			after.retainAll(before);
			assertThat(after).hasSizeGreaterThanOrEqualTo(4);
			// Every connection opened from now on needs a token the server accepts, and
			// only the newest one is: a reused token would fail.
			primary.getHikariPoolMXBean().softEvictConnections();
			await().atMost(TARGET)
				.until(() -> backends(cluster.primary(), "rot_token").stream().noneMatch(before::contains));
			load.awaitServed(load.served() + 200);
			load.stop();
			assertThat(load.failures()).as("failed requests").isEmpty();
			assertThat(mint.minted.get() - tokensBefore).as("tokens for the new connections").isGreaterThanOrEqualTo(4);
			DocumentContext pools = JsonPath.parse(Http.get(port(context), "/actuator/pools").body());
			assertThat(pools.read("$.pools.primary.credentials.source", String.class))
				.isEqualTo("provider " + TokenMint.class.getName());
			assertThat(pools.read("$.pools.primary.credentials.rotations", Integer.class)).isZero();
			assertThat(mint.last).isNotNull();
			assertThat(Http.get(port(context), "/actuator/pools").body()).doesNotContain(mint.last);
		}
		assertThat(output.getAll()).doesNotContain(mint.last);
	}

	private static String connections(HikariDataSource pool) {
		HikariPoolMXBean mx = pool.getHikariPoolMXBean();
		return mx.getTotalConnections() + " connections (" + mx.getActiveConnections() + " active, "
				+ mx.getIdleConnections() + " idle, " + mx.getThreadsAwaitingConnection() + " waiting)";
	}

	private static Map<String, Object> app(EmbeddedPostgresCluster cluster, boolean replica) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("app.datasource.primary.url", cluster.primary().jdbcUrl(DB));
		properties.put("app.datasource.primary.maximum-pool-size", 4);
		properties.put("app.datasource.primary.minimum-idle", 4);
		properties.put("app.datasource.primary.connection-timeout", "10s");
		if (replica) {
			properties.put("app.datasource.replicas.replica-1.url", cluster.replica(1).jdbcUrl(DB));
		}
		properties.put("app.datasource.credentials.refresh-interval", "1s");
		properties.put("app.datasource.routing.health-check-interval", "200ms");
		properties.put("server.port", 0);
		properties.put("management.endpoints.web.exposure.include", "health,metrics,pools");
		properties.put("management.endpoint.health.show-details", "always");
		properties.put("spring.flyway.enabled", false);
		properties.put("spring.main.banner-mode", "off");
		return properties;
	}

	private static ConfigurableApplicationContext start(Map<String, Object> properties, PoolCredentials provider) {
		SpringApplicationBuilder builder = new SpringApplicationBuilder(TestApp.class).web(WebApplicationType.SERVLET)
			.properties(properties);
		if (provider != null) {
			builder.initializers((context) -> context.getBeanFactory().registerSingleton("tokens", provider));
		}
		return builder.run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private static void createRole(EmbeddedPostgresCluster cluster, String role, String password) throws SQLException {
		try (Connection admin = cluster.primary().connect(DB); Statement statement = admin.createStatement()) {
			statement.execute("DROP ROLE IF EXISTS " + role);
			statement.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
			statement.execute("GRANT ALL ON DATABASE " + DB + " TO " + role);
			statement.execute("CREATE TABLE IF NOT EXISTS test_writes (id bigint PRIMARY KEY, port int NOT NULL)");
			statement.execute("GRANT ALL ON test_writes TO " + role);
		}
		cluster.awaitReplication();
	}

	private static void alter(EmbeddedPostgresCluster cluster, String role, String password) throws SQLException {
		try (Connection admin = cluster.primary().connect(DB); Statement statement = admin.createStatement()) {
			statement.execute("ALTER ROLE " + role + " PASSWORD '" + password + "'");
		}
	}

	// Vault's revocation: the user's sessions terminated on every node, the user
	// dropped.
	private static void revoke(EmbeddedPostgresCluster cluster, String role) throws SQLException {
		for (PostgresNode node : List.of(cluster.primary(), cluster.replica(1))) {
			try (Connection admin = node.connect(DB); Statement statement = admin.createStatement()) {
				statement
					.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
			}
		}
		try (Connection admin = cluster.primary().connect(DB); Statement statement = admin.createStatement()) {
			statement.execute("REVOKE ALL ON test_writes FROM " + role);
			statement.execute("REVOKE ALL ON DATABASE " + DB + " FROM " + role);
			statement.execute("DROP ROLE " + role);
		}
	}

	private static void awaitLoginRefused(PostgresNode node, String role, String password) {
		await().atMost(30, TimeUnit.SECONDS).until(() -> {
			Properties login = new Properties();
			login.setProperty("user", role);
			login.setProperty("password", password);
			try (Connection connection = DriverManager.getConnection(node.jdbcUrl(DB), login)) {
				return false;
			}
			catch (SQLException ex) {
				return "28P01".equals(ex.getSQLState());
			}
		});
	}

	private static Timestamp now(PostgresNode node) throws SQLException {
		try (Connection admin = node.connect(DB);
				Statement statement = admin.createStatement();
				ResultSet rows = statement.executeQuery("SELECT clock_timestamp()")) {
			rows.next();
			return rows.getTimestamp(1);
		}
	}

	// Waits until every session of the application on both nodes logged in as the role
	// after the change; returns how many there are.
	private static long awaitEverySessionSince(EmbeddedPostgresCluster cluster, String role, Timestamp changed) {
		return awaitEverySessionSince(cluster, role, changed, TARGET);
	}

	private static long awaitEverySessionSince(EmbeddedPostgresCluster cluster, String role, Timestamp changed,
			Duration within) {
		AtomicLong seen = new AtomicLong();
		await().atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> {
			long old = 0;
			long fresh = 0;
			for (PostgresNode node : List.of(cluster.primary(), cluster.replica(1))) {
				try (Connection admin = node.connect(DB);
						PreparedStatement statement = admin
							.prepareStatement("SELECT count(*) FILTER (WHERE usename = ? AND backend_start > ?), "
									+ "count(*) FILTER (WHERE usename IS DISTINCT FROM ? OR backend_start <= ?) "
									+ "FROM pg_stat_activity WHERE datname = ? AND application_name LIKE 'app:%'")) {
					statement.setString(1, role);
					statement.setTimestamp(2, changed);
					statement.setString(3, role);
					statement.setTimestamp(4, changed);
					statement.setString(5, DB);
					try (ResultSet rows = statement.executeQuery()) {
						rows.next();
						fresh += rows.getLong(1);
						old += rows.getLong(2);
					}
				}
			}
			seen.set(fresh);
			return old == 0 && fresh > 0;
		});
		return seen.get();
	}

	private static int sessions(PostgresNode node, String role) throws SQLException {
		return backends(node, role).size();
	}

	private static Set<Integer> backends(PostgresNode node, String role) throws SQLException {
		Set<Integer> pids = new HashSet<>();
		try (Connection admin = node.connect(DB);
				PreparedStatement statement = admin
					.prepareStatement("SELECT pid FROM pg_stat_activity WHERE usename = ? AND datname = ?")) {
			statement.setString(1, role);
			statement.setString(2, DB);
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					pids.add(rows.getInt(1));
				}
			}
		}
		return pids;
	}

	/**
	 * A token service: every login gets a new password, set on the role just before it is
	 * handed out, so the server accepts only the newest one.
	 */
	static final class TokenMint implements PoolCredentials {

		private final EmbeddedPostgresCluster cluster;

		private final String role;

		final AtomicInteger minted = new AtomicInteger();

		volatile String last;

		TokenMint(EmbeddedPostgresCluster cluster, String role) {
			this.cluster = cluster;
			this.role = role;
		}

		@Override
		public synchronized Login login(String pool, Login configured) throws SQLException {
			String token = "tok-" + java.util.UUID.randomUUID();
			alter(this.cluster, this.role, token);
			this.minted.incrementAndGet();
			this.last = token;
			return new Login(this.role, token);
		}

	}

	/**
	 * Three writers (a row each, on the primary) and three readers (on the replica, or
	 * the primary without one), watched every 50 ms for a breaker that is not closed or a
	 * replica that is not up.
	 */
	static final class Load implements AutoCloseable {

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicLong served = new AtomicLong();

		private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

		private final Map<Long, Long> servedAt = new java.util.concurrent.ConcurrentSkipListMap<>();

		final AtomicInteger failedReads = new AtomicInteger();

		final AtomicInteger breakerNotClosed = new AtomicInteger();

		final AtomicInteger replicaDown = new AtomicInteger();

		private final List<Thread> threads = new ArrayList<>();

		// Row ids no earlier load of this JVM used.
		private final AtomicLong ids = new AtomicLong(System.currentTimeMillis() * 1000);

		Load(ConfigurableApplicationContext context) {
			TestApp.Writes writes = context.getBean(TestApp.Writes.class);
			TestApp.Reads reads = context.getBean(TestApp.Reads.class);
			LiveTopology topology = context.getBean(LiveTopology.class);
			for (int i = 0; i < 3; i++) {
				this.threads.add(caller(() -> writes.insert(this.ids.incrementAndGet()), false));
				this.threads.add(caller(reads::node, true));
			}
			this.threads.add(new Thread(() -> {
				while (this.running.get()) {
					Topology now = topology.current();
					if (!"CLOSED".equals(now.primary().breaker().state())) {
						this.breakerNotClosed.incrementAndGet();
					}
					for (ReplicaNode replica : now.replicas()) {
						if (!replica.up()) {
							this.replicaDown.incrementAndGet();
						}
					}
					sleep(50);
				}
			}));
			this.threads.forEach(Thread::start);
		}

		private Thread caller(Runnable call, boolean read) {
			return new Thread(() -> {
				while (this.running.get()) {
					try {
						call.run();
						long count = this.served.incrementAndGet();
						if (count % 10 == 0) {
							this.servedAt.put(count, System.currentTimeMillis());
						}
					}
					catch (RuntimeException ex) {
						this.failures.add(ex);
						if (read) {
							this.failedReads.incrementAndGet();
						}
					}
				}
			});
		}

		long served() {
			return this.served.get();
		}

		void awaitServed(long count) {
			await().atMost(60, TimeUnit.SECONDS).until(() -> this.served.get() >= count);
		}

		// Milliseconds since the load had served the given count.
		long elapsedSince(long count) {
			Long at = this.servedAt.entrySet()
				.stream()
				.filter((entry) -> entry.getKey() >= count)
				.map(Map.Entry::getValue)
				.findFirst()
				.orElse(System.currentTimeMillis());
			return System.currentTimeMillis() - at;
		}

		long millisSince(Timestamp time) {
			return System.currentTimeMillis() - time.getTime();
		}

		List<Throwable> failures() {
			return List.copyOf(this.failures);
		}

		void stop() throws InterruptedException {
			this.running.set(false);
			for (Thread thread : this.threads) {
				thread.join(30_000);
			}
		}

		@Override
		public void close() throws InterruptedException {
			stop();
		}

		private static void sleep(long millis) {
			try {
				Thread.sleep(millis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
