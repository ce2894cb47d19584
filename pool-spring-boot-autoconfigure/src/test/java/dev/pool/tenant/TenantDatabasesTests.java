package dev.pool.tenant;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.EmbeddedPostgresProperties;
import dev.pool.test.SharedEmbeddedPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Mode database over HTTP: 50 tenant databases, at most 10 tenant pools open, each tenant
 * seeing only its own rows; bad and unknown ids refused before any database is touched; a
 * tenant whose migration fails answers 503 alone.
 */
@SpringBootTest(classes = TenantApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TenantDatabasesTests {

	private static final String DB = "tenant_databases_test";

	private static final String APPLICATION = "tenants-it";

	static final List<String> TENANTS = IntStream.range(0, 50).mapToObj((i) -> String.format("t%02d", i)).toList();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		EmbeddedPostgresCluster cluster = SharedEmbeddedPostgres.withDatabase(DB);
		List<String> databases = new ArrayList<>(TENANTS.stream().map((tenant) -> "tdb_" + tenant).toList());
		databases.add("tdb_broken");
		TenantDatabases.create(cluster, databases);
		// Its schema is not empty and has no migration history: Flyway refuses it.
		TenantDatabases.execute(cluster, "tdb_broken", "CREATE TABLE IF NOT EXISTS notes (legacy INT)");
		EmbeddedPostgresProperties.register(registry, DB);
		registry.add("spring.application.name", () -> APPLICATION);
		registry.add("app.datasource.tenants.mode", () -> "database");
		registry.add("app.datasource.tenants.url-template", () -> cluster.primary().jdbcUrl("tdb_{tenant}"));
		registry.add("app.datasource.tenants.known", () -> String.join(",", TENANTS) + ",broken,absent");
		registry.add("app.datasource.tenants.max-live-pools", () -> "10");
		registry.add("app.datasource.tenants.connection-timeout", () -> "20s");
		registry.add("server.tomcat.threads.max", () -> "200");
		// The 200 clients connect at once: with Tomcat's default backlog of 100 the
		// kernel drops the connections it cannot queue while the acceptor is behind, and
		// a client whose SYN is dropped twice waits out its 5 s connect timeout.
		registry.add("server.tomcat.accept-count", () -> "256");
		registry.add("management.endpoints.web.exposure.include", () -> "health,pools");
		registry.add("management.endpoint.health.show-details", () -> "always");
	}

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	@Test
	@Order(1)
	void twoHundredConcurrentRequestsOverFiftyTenantsEachSeeOnlyTheirOwnRowsWithinTheBound() throws Exception {
		AtomicBoolean sampling = new AtomicBoolean(true);
		AtomicInteger mostPools = new AtomicInteger();
		AtomicInteger mostConnections = new AtomicInteger();
		AtomicInteger mostLive = new AtomicInteger();
		AtomicInteger samples = new AtomicInteger();
		AtomicReference<Throwable> samplerFailure = new AtomicReference<>();
		Thread sampler = new Thread(() -> {
			try (Connection connection = SharedEmbeddedPostgres.cluster().primary().connect("postgres")) {
				while (sampling.get()) {
					try (Statement statement = connection.createStatement();
							ResultSet rs = statement.executeQuery("SELECT count(DISTINCT application_name), count(*) "
									+ "FROM pg_stat_activity WHERE application_name LIKE '" + APPLICATION
									+ ":tenant-%'")) {
						rs.next();
						mostPools.accumulateAndGet(rs.getInt(1), Math::max);
						mostConnections.accumulateAndGet(rs.getInt(2), Math::max);
					}
					mostLive.accumulateAndGet((int) this.meters.get("pool.tenants.live").gauge().value(), Math::max);
					samples.incrementAndGet();
				}
			}
			catch (SQLException | RuntimeException ex) {
				// Kept for the test thread: an exception thrown here would only be
				// printed.
				samplerFailure.set(ex);
			}
		});
		sampler.start();
		ExecutorService clients = Executors.newFixedThreadPool(200);
		CountDownLatch go = new CountDownLatch(1);
		List<Future<Check>> results = new ArrayList<>();
		try {
			for (int i = 0; i < 200; i++) {
				String tenant = TENANTS.get(i % TENANTS.size());
				results.add(clients.submit(() -> {
					go.await();
					String body = tenant + ":" + UUID.randomUUID();
					return new Check(tenant, body, TenantHttp.post(this.port, "/notes?body=" + body, tenant));
				}));
			}
			go.countDown();
			for (Future<Check> result : results) {
				Check check = result.get(120, TimeUnit.SECONDS);
				assertThat(check.response().statusCode()).as(check.response().body()).isEqualTo(200);
				DocumentContext json = JsonPath.parse(check.response().body());
				assertThat(json.read("$.database", String.class)).isEqualTo("tdb_" + check.tenant());
				List<String> bodies = json.read("$.bodies");
				assertThat(bodies).contains(check.body())
					.allSatisfy((seen) -> assertThat(seen).startsWith(check.tenant() + ":"));
			}
		}
		finally {
			clients.shutdownNow();
			sampling.set(false);
			sampler.join();
		}
		// Every tenant's database holds exactly its own four notes.
		for (String tenant : TENANTS) {
			assertThat(query(tenant, "SELECT count(*) FROM notes WHERE body NOT LIKE '" + tenant + ":%'")).isZero();
			assertThat(query(tenant, "SELECT count(*) FROM notes")).isEqualTo(4);
		}
		System.out.printf("Tenant load: %d samples, at most %d tenant pools and %d connections on the server, "
				+ "at most %d live%n", samples.get(), mostPools.get(), mostConnections.get(), mostLive.get());
		assertThat(samplerFailure.get()).as("the sampler's failure").isNull();
		assertThat(samples.get()).isPositive();
		assertThat(mostLive.get()).isBetween(1, 10);
		// The server may still list the backends of a pool closed to make room for a
		// moment after the pool closed them (a backend leaves pg_stat_activity when its
		// process exits, after the client's goodbye): one such pool beside the ten.
		assertThat(mostPools.get()).isBetween(1, 10 + 1);
		// 10 pools of at most 3 connections (the tenant default), and that closing one.
		assertThat(mostConnections.get()).isBetween(1, 30 + 3);
		double evicted = this.meters.get("pool.tenants.evictions").tag("reason", "capacity").functionCounter().count();
		double created = this.meters.get("pool.tenants.created").functionCounter().count();
		assertThat(created).isGreaterThanOrEqualTo(50);
		assertThat(evicted).isGreaterThanOrEqualTo(created - 10);
		// Closed pools leave no HikariCP meters behind; open ones have theirs (a pool
		// retired under load closes at the next sweep, within a second).
		await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
			Set<String> metered = this.meters.find("hikaricp.connections")
				.gauges()
				.stream()
				.map((gauge) -> gauge.getId().getTag("pool"))
				.filter((pool) -> pool.startsWith("tenant-"))
				.collect(Collectors.toSet());
			DocumentContext pools = JsonPath.parse(TenantHttp.get(this.port, "/actuator/pools", null).body());
			Set<String> open = pools.<Map<String, Object>>read("$.tenants.pools").keySet();
			assertThat(metered).isEqualTo(open);
			assertThat(open).hasSizeBetween(1, 10);
			assertThat(pools.read("$.tenants.mode", String.class)).isEqualTo("database");
			assertThat(pools.read("$.tenants.live", Integer.class)).isEqualTo(open.size());
			assertThat(pools.read("$.tenants.created", Integer.class)).isEqualTo((int) created);
			assertThat(pools.read("$.tenants.evicted.capacity", Integer.class)).isEqualTo((int) created - open.size());
			assertThat(pools.read("$.tenants.connections.inUse", Integer.class)).isZero();
		});
	}

	@Test
	@Order(2)
	void malformedIdsAre400AndUnknownIds404WithoutTouchingADatabase() {
		double created = this.meters.get("pool.tenants.created").functionCounter().count();
		List<String> malformed = List.of("x'; DROP TABLE notes; --", "T00", "a".repeat(64), "", "../t00",
				"t00?ssl=false", "%7Bt00%7D");
		for (String id : malformed) {
			HttpResponse<String> response = TenantHttp.post(this.port, "/notes?body=x", id);
			assertThat(response.statusCode()).as("id [%s]", id).isEqualTo(400);
			assertThat(response.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
			assertNoInternals(response.body(), id);
		}
		for (String id : List.of("t50", "nobody")) {
			HttpResponse<String> response = TenantHttp.post(this.port, "/notes?body=x", id);
			assertThat(response.statusCode()).as("id [%s]", id).isEqualTo(404);
			assertThat(JsonPath.parse(response.body()).read("$.status", Integer.class)).isEqualTo(404);
			assertNoInternals(response.body(), id);
		}
		assertThat(this.meters.get("pool.tenants.created").functionCounter().count()).isEqualTo(created);
		// No tenant named: the primary, as without tenancy.
		HttpResponse<String> primary = TenantHttp.get(this.port, "/where", null);
		assertThat(primary.statusCode()).isEqualTo(200);
		assertThat(JsonPath.parse(primary.body()).read("$.database", String.class)).isEqualTo(DB);
	}

	@Test
	@Order(3)
	void aTenantWhoseMigrationFailsIs503AloneAndTheOthersWork() {
		HttpResponse<String> broken = TenantHttp.post(this.port, "/notes?body=x", "broken");
		assertThat(broken.statusCode()).isEqualTo(503);
		assertThat(broken.headers().firstValue("Retry-After")).isPresent();
		assertNoInternals(broken.body(), "broken");
		// Refused at once from now on, without another attempt.
		assertThat(TenantHttp.post(this.port, "/notes?body=x", "broken").statusCode()).isEqualTo(503);
		// A known tenant whose database does not exist fails alone too.
		assertThat(TenantHttp.post(this.port, "/notes?body=x", "absent").statusCode()).isEqualTo(503);
		HttpResponse<String> other = TenantHttp.post(this.port, "/notes?body=t07:after", "t07");
		assertThat(other.statusCode()).isEqualTo(200);
		DocumentContext pools = JsonPath.parse(TenantHttp.get(this.port, "/actuator/pools", null).body());
		assertThat(pools.read("$.tenants.failedMigrations", Integer.class)).isEqualTo(2);
		HttpResponse<String> health = TenantHttp.get(this.port, "/actuator/health", null);
		assertThat(health.statusCode()).isEqualTo(200);
		DocumentContext json = JsonPath.parse(health.body());
		assertThat(json.read("$.status", String.class)).isEqualTo("UP");
		assertThat(json.read("$.components.db.details.tenants.failedMigrations", Integer.class)).isEqualTo(2);
		assertThat(json.read("$.components.db.details.tenants.maxLivePools", Integer.class)).isEqualTo(10);
	}

	private static void assertNoInternals(String body, String id) {
		assertThat(body).doesNotContain("jdbc:")
			.doesNotContain("tenant-")
			.doesNotContain("tdb_")
			.doesNotContain(Integer.toString(SharedEmbeddedPostgres.cluster().primary().port()))
			.doesNotContain(SharedEmbeddedPostgres.cluster().password());
		if (id.length() > 2) {
			assertThat(body).doesNotContain(id);
		}
	}

	private static long query(String tenant, String sql) {
		return TenantDatabases.count(SharedEmbeddedPostgres.cluster(), "tdb_" + tenant, sql);
	}

	record Check(String tenant, String body, HttpResponse<String> response) {
	}

}
