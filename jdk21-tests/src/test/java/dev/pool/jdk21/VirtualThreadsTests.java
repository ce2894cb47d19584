package dev.pool.jdk21;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.pool.test.EmbeddedPostgresProperties;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Virtual threads ({@code spring.threads.virtual.enabled}): 500 concurrent requests on a
 * pool of 10 are all answered, 200 or 503, and nothing deadlocks. The JDK's pinned-thread
 * events (JFR {@code jdk.VirtualThreadPinned}, every one, however short) are reported;
 * apart from class loading and initialization, which no JDK can unmount yet and which
 * happen once per class, none may have the starter, HikariCP or the PostgreSQL driver on
 * its stack.
 */
@SpringBootTest(classes = VirtualThreadsApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class VirtualThreadsTests {

	private static final int REQUESTS = 500;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		EmbeddedPostgresProperties.register(registry, "virtual_threads");
		registry.add("spring.threads.virtual.enabled", () -> "true");
		registry.add("app.datasource.primary.maximum-pool-size", () -> "10");
		// Short, so part of the burst waits longer than it and is answered 503.
		registry.add("app.datasource.primary.connection-timeout", () -> "300ms");
	}

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	@LocalServerPort
	int port;

	@Test
	void fiveHundredConcurrentRequestsOnAPoolOfTenAreAllAnsweredWithoutPinningInTheStarter() throws Exception {
		// Load and initialize the classes of both paths (and the 503) before recording: a
		// class initialized during the recording pins every thread that waits for it.
		Map<Integer, AtomicInteger> warmUp = burst(60);
		for (int i = 0; i < 10 && !(warmUp.containsKey(200) && warmUp.containsKey(503)); i++) {
			warmUp = burst(REQUESTS);
		}
		System.out.println("Warm-up answered " + warmUp);
		assertThat(warmUp).as("warm-up saw both answers").containsKeys(200, 503);
		List<RecordedEvent> pinned = new CopyOnWriteArrayList<>();
		Map<Integer, AtomicInteger> statuses;
		try (RecordingStream recording = new RecordingStream()) {
			recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
			recording.onEvent("jdk.VirtualThreadPinned", pinned::add);
			recording.startAsync();
			statuses = burst(REQUESTS);
			recording.stop();
		}
		assertThat(ManagementFactory.getThreadMXBean().findDeadlockedThreads()).isNull();
		assertThat(statuses.keySet()).isSubsetOf(200, 503);
		assertThat(statuses.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(REQUESTS);
		assertThat(statuses.get(200)).isNotNull();
		Map<String, AtomicInteger> byCause = new TreeMap<>();
		List<String> ours = new ArrayList<>();
		for (RecordedEvent event : pinned) {
			boolean classLoading = isClassLoadingOrInitialization(event);
			byCause
				.computeIfAbsent(classLoading ? "class loading/initialization" : "other", (key) -> new AtomicInteger())
				.incrementAndGet();
			String frame = firstFrameOfOurs(event);
			if (!classLoading && frame != null) {
				ours.add(frame + " (" + event.getDuration().toNanos() / 1000 + " us)");
			}
		}
		System.out.println("JDK " + Runtime.version() + ": " + REQUESTS + " concurrent requests answered " + statuses
				+ "; pinned-thread events: " + pinned.size() + " " + byCause);
		assertThat(ours).as("pinning in the starter, HikariCP or the PostgreSQL driver").isEmpty();
	}

	private Map<Integer, AtomicInteger> burst(int requests) throws Exception {
		Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
		List<CompletableFuture<Void>> responses = new ArrayList<>();
		for (int i = 0; i < requests; i++) {
			String path = (i % 2 == 0) ? "/write" : "/read";
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
				.timeout(Duration.ofSeconds(60))
				.GET()
				.build();
			responses
				.add(this.client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenAccept((response) -> {
					statuses.computeIfAbsent(response.statusCode(), (status) -> new AtomicInteger()).incrementAndGet();
					if (response.statusCode() == 200) {
						assertThat(response.body()).as("served on a virtual thread").contains("VirtualThread");
					}
				}));
		}
		CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
		return statuses;
	}

	// JDK 24+ says why (pinnedReason); before that, a class-loading frame on the stack
	// tells.
	private static boolean isClassLoadingOrInitialization(RecordedEvent event) {
		if (event.hasField("pinnedReason")) {
			String reason = event.getString("pinnedReason");
			if (reason != null && reason.contains("initialization")) {
				return true;
			}
		}
		if (event.getStackTrace() == null) {
			return false;
		}
		for (RecordedFrame frame : event.getStackTrace().getFrames()) {
			String method = frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
			if (method.equals("java.lang.ClassLoader.loadClass") || method.endsWith(".<clinit>")) {
				return true;
			}
		}
		return false;
	}

	private static String firstFrameOfOurs(RecordedEvent event) {
		if (event.getStackTrace() == null) {
			return null;
		}
		for (RecordedFrame frame : event.getStackTrace().getFrames()) {
			String type = frame.getMethod().getType().getName();
			if ((type.startsWith("dev.pool.") && !type.startsWith("dev.pool.jdk21."))
					|| type.startsWith("com.zaxxer.hikari.") || type.startsWith("org.postgresql.")) {
				return type + "." + frame.getMethod().getName();
			}
		}
		return null;
	}

}
