package dev.pool.consistency;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.pool.ReadYourWrites;
import dev.pool.internal.consistency.ConsistencyToken;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Read-your-writes on replicas that apply writes late, on every database it supports (one
 * subclass each): a client never reads older data than it just wrote, whether it comes
 * back with the cookie, the header, in the same request, through Spring Data or with a
 * token handed to another thread; clients that wrote nothing, and writers once the
 * replicas have caught up, read from replicas.
 */
@SpringBootTest(classes = NotesApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class AbstractReadYourWritesTests {

	/**
	 * The database under test.
	 * @return its primary and delayed replicas
	 */
	abstract DelayedDatabase database();

	@LocalServerPort
	int port;

	@Autowired
	NoteRepository notes;

	@Autowired
	NotesApp.NoteReads reads;

	@Autowired
	ReadYourWrites readYourWrites;

	@Test
	void postRedirectGetWithCookiesSeesTheWriteEveryTime() throws Exception {
		HttpClient browser = browser();
		double before = consistencyDecisions();
		for (int i = 0; i < 20; i++) {
			HttpResponse<String> shown = browser.send(post("/notes?text=owner-" + i),
					HttpResponse.BodyHandlers.ofString());
			assertThat(shown.statusCode()).as("note %d", i).isEqualTo(200);
			assertThat(JsonPath.parse(shown.body()).read("$.text", String.class)).isEqualTo("owner-" + i);
			// The 302 carried the token, set when the write committed, before the
			// redirect.
			HttpResponse<String> redirect = shown.previousResponse().orElseThrow();
			assertThat(redirect.statusCode()).isEqualTo(302);
			assertThat(redirect.headers().firstValue("DB-Consistency"))
				.hasValueSatisfying((token) -> assertThat(ConsistencyToken.parse(token)).isNotNull());
			assertThat(redirect.headers().allValues("Set-Cookie")).singleElement()
				.satisfies((cookie) -> assertThat(cookie).startsWith("db-consistency=" + token(0, 0).substring(0, 3))
					.contains("Max-Age=60")
					.contains("HttpOnly")
					.contains("SameSite=Lax")
					.doesNotContain("Secure"));
		}
		assertThat(consistencyDecisions() - before).as("reads sent to the primary for consistency")
			.isGreaterThanOrEqualTo(20);
	}

	@Test
	void aClientThatWroteNothingReadsFromAReplica() throws Exception {
		browser().send(post("/notes?text=someone-else"), HttpResponse.BodyHandlers.ofString());
		assertThat(get(HttpClient.newHttpClient(), "/node", null).body()).startsWith("true:");
	}

	@Test
	void onceTheReplicasCatchUpTheWritersReadsGoBackToReplicas() throws Exception {
		HttpClient browser = browser();
		HttpResponse<String> added = browser.send(post("/notes?text=catch-up"), HttpResponse.BodyHandlers.ofString());
		assertThat(added.statusCode()).isEqualTo(200);
		assertThat(get(browser, "/node", null).body()).as("right after the write").isEqualTo(database().primary());
		await().atMost(15, TimeUnit.SECONDS)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> get(browser, "/node", null).body().startsWith("true:"));
	}

	@Test
	void aClientWithoutCookiesEchoesTheHeader() throws Exception {
		HttpClient api = HttpClient.newHttpClient();
		HttpResponse<String> created = api.send(post("/notes?text=api-client"), HttpResponse.BodyHandlers.ofString());
		assertThat(created.statusCode()).isEqualTo(302);
		String token = created.headers().firstValue("DB-Consistency").orElseThrow();
		String location = created.headers().firstValue("Location").orElseThrow();
		HttpResponse<String> withToken = get(api, location, token);
		assertThat(withToken.statusCode()).isEqualTo(200);
		assertThat(JsonPath.parse(withToken.body()).read("$.text", String.class)).isEqualTo("api-client");
	}

	@Test
	void anAutocommitWriteThenAReadInTheSameRequestSeesTheWrite() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(post("/notes/autocommit?text=same-request"), HttpResponse.BodyHandlers.ofString());
		DocumentContext json = JsonPath.parse(response.body());
		assertThat(json.read("$.count", Integer.class)).isEqualTo(1);
		assertThat(json.read("$.node", String.class)).isEqualTo(database().primary());
		assertThat(response.headers().firstValue("DB-Consistency")).isPresent();
	}

	@Test
	void statementsCreatedWithoutTheirSqlAreJudgedByTheSqlTheyRun() throws Exception {
		HttpClient api = HttpClient.newHttpClient();
		HttpResponse<String> wrote = api.send(post("/notes/unparameterized?text=plain-sql"),
				HttpResponse.BodyHandlers.ofString());
		DocumentContext json = JsonPath.parse(wrote.body());
		assertThat(json.read("$.count", Integer.class)).isEqualTo(1);
		assertThat(json.read("$.node", String.class)).isEqualTo(database().primary());
		assertThat(wrote.headers().firstValue("DB-Consistency")).isPresent();
		HttpResponse<String> read = get(api, "/notes/count", null);
		assertThat(read.statusCode()).isEqualTo(200);
		assertThat(read.headers().firstValue("DB-Consistency")).isEmpty();
	}

	@Test
	void springDataSaveThenFindByIdInTwoTransactionsSeesTheWrite() {
		ExecutorService thread = Executors.newSingleThreadExecutor();
		try {
			Map<String, Object> found = CompletableFuture.supplyAsync(() -> {
				Note saved = this.notes.save(new Note("spring-data"));
				return this.reads.find(saved.getId());
			}, thread).join();
			assertThat(found).containsEntry("found", true).containsEntry("text", "spring-data");
		}
		finally {
			thread.shutdown();
		}
	}

	@Test
	void aTokenHandedToAnotherThreadMakesItsReadsSeeTheWrite() {
		ExecutorService writer = Executors.newSingleThreadExecutor();
		ExecutorService consumer = Executors.newSingleThreadExecutor();
		try {
			Object[] written = CompletableFuture.supplyAsync(() -> {
				Note saved = this.notes.save(new Note("message"));
				return new Object[] { saved.getId(), this.readYourWrites.currentToken().orElseThrow() };
			}, writer).join();
			long id = (Long) written[0];
			String token = (String) written[1];
			// Without the token the other thread reads a replica that has not replayed
			// the write.
			assertThat(CompletableFuture.supplyAsync(() -> this.reads.find(id), consumer).join()).containsEntry("found",
					false);
			assertThat(CompletableFuture
				.supplyAsync(() -> this.readYourWrites.callWith(token, () -> this.reads.find(id)), consumer)
				.join()).containsEntry("found", true);
			// The token applied to that work only.
			assertThat(CompletableFuture.supplyAsync(this.readYourWrites::currentToken, consumer).join()).isEmpty();
		}
		finally {
			writer.shutdown();
			consumer.shutdown();
		}
	}

	@Test
	void eachReplicaIsJudgedByItsOwnReplayPosition() throws Exception {
		database().delay(2, Duration.ZERO);
		try {
			HttpClient browser = browser();
			browser.send(post("/notes?text=per-replica"), HttpResponse.BodyHandlers.ofString());
			// Replica 2 applies the write within moments (MariaDB's replication threads
			// restart for a new delay): once one read reached it, every read does.
			await().atMost(10, TimeUnit.SECONDS)
				.pollInterval(Duration.ofMillis(50))
				.until(() -> get(browser, "/node", null).body().equals(database().replica(2)));
			List<String> nodes = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				nodes.add(get(browser, "/node", null).body());
			}
			// Replica 1 is still behind: neither it nor the primary serves.
			assertThat(nodes).containsOnly(database().replica(2));
		}
		finally {
			database().delay(2, database().delay());
		}
	}

	@Test
	void badTokensAreIgnoredAndReadsBehaveAsWithoutOne() throws Exception {
		HttpClient api = HttpClient.newHttpClient();
		String real = api.send(post("/notes?text=token-source"), HttpResponse.BodyHandlers.ofString())
			.headers()
			.firstValue("DB-Consistency")
			.orElseThrow();
		ConsistencyToken parsed = ConsistencyToken.parse(real);
		long now = System.currentTimeMillis();
		Map<String, String> bad = Map.of("garbage", "not-a-token", "wrong format", "v1.zz.1", "ahead of the primary",
				token(Long.MAX_VALUE >>> 8, now), "expired", token(parsed.position(), now - 120_000),
				"issued in the future", token(parsed.position(), now + 3_600_000), "another database's flavour",
				new ConsistencyToken(other(), parsed.position(), now).format());
		for (Map.Entry<String, String> token : bad.entrySet()) {
			HttpResponse<String> response = get(api, "/node", token.getValue());
			assertThat(response.statusCode()).as(token.getKey()).isEqualTo(200);
			assertThat(response.body()).as(token.getKey()).startsWith("true:");
			assertThat(response.headers().firstValue("DB-Consistency")).as(token.getKey()).isEmpty();
		}
		HttpResponse<String> cookie = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(uri("/node")).header("Cookie", "db-consistency=%00%ff;garbage").GET().build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(cookie.statusCode()).isEqualTo(200);
		assertThat(cookie.body()).startsWith("true:");
	}

	private HttpClient browser() {
		return HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NORMAL)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
	}

	@Test
	void aWriteWithAKnownPositionEndsAnUnknownOne() throws Exception {
		// A client whose earlier write lost its position (the connection broke right
		// after it) reads from the primary; its next write, whose position is known and
		// later, covers the earlier one, so the "unknown" does not live on.
		String unknown = token(Long.MAX_VALUE, System.currentTimeMillis());
		assertThat(get(HttpClient.newHttpClient(), "/node", unknown).body()).isEqualTo(database().primary());
		HttpResponse<String> written = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(uri("/notes/autocommit?text=after-unknown"))
				.header("DB-Consistency", unknown)
				.POST(HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(written.statusCode()).isEqualTo(200);
		ConsistencyToken token = ConsistencyToken.parse(written.headers().firstValue("DB-Consistency").orElseThrow());
		assertThat(token).isNotNull();
		assertThat(token.position()).isPositive().isLessThan(Long.MAX_VALUE);
	}

	private String token(long position, long issuedAtMillis) {
		return new ConsistencyToken(database().flavour(), position, issuedAtMillis).format();
	}

	private ConsistencyToken.Flavour other() {
		return (database().flavour() == ConsistencyToken.Flavour.WAL) ? ConsistencyToken.Flavour.GTID
				: ConsistencyToken.Flavour.WAL;
	}

	private HttpRequest post(String path) {
		return HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()).build();
	}

	private HttpResponse<String> get(HttpClient client, String path, String token) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
		if (token != null) {
			request.header("DB-Consistency", token);
		}
		return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private double consistencyDecisions() throws Exception {
		HttpResponse<String> response = get(HttpClient.newHttpClient(),
				"/actuator/metrics/pool.routing.decisions?tag=reason:consistency", null);
		return JsonPath.parse(response.body()).read("$.measurements[0].value", Double.class);
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
