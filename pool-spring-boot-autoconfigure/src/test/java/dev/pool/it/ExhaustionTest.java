package dev.pool.it;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.pool.test.EmbeddedPostgresProperties;
import dev.pool.test.SharedEmbeddedPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pool exhaustion over HTTP: 503, Retry-After, problem+json, no internals; other SQL errors are
 * not 503.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExhaustionTest {

	private static final String DB = "exhaustion_test";

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		EmbeddedPostgresProperties.register(registry, DB);
		registry.add("app.datasource.primary.maximum-pool-size", () -> "2");
		registry.add("app.datasource.primary.connection-timeout", () -> "1s");
		registry.add("app.datasource.exhaustion.retry-after", () -> "3s");
		registry.add("management.endpoints.web.exposure.include", () -> "metrics");
	}

	@LocalServerPort
	int port;

	@Test
	void thirdConcurrentSlowRequestGets503WhileTheOtherTwoSucceed() throws Exception {
		List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			slow.add(CompletableFuture.supplyAsync(() -> Http.get(this.port, "/slow?millis=3000")));
		}
		Thread.sleep(500);
		long start = System.nanoTime();
		HttpResponse<String> third = Http.get(this.port, "/slow?millis=3000");
		long millis = (System.nanoTime() - start) / 1_000_000;
		assertThat(third.statusCode()).isEqualTo(503);
		assertThat(millis).as("answered within connection-timeout + 1 s").isLessThan(2000);
		assertThat(third.headers().firstValue("Retry-After")).hasValue("3");
		assertThat(third.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/problem+json"));
		DocumentContext problem = JsonPath.parse(third.body());
		assertThat(problem.read("$.status", Integer.class)).isEqualTo(503);
		assertThat(problem.read("$.title", String.class)).isEqualTo("Service Unavailable");
		assertThat(third.body()).doesNotContain("primary")
			.doesNotContain("total=")
			.doesNotContain("jdbc:")
			.doesNotContain("SELECT")
			.doesNotContain(SharedEmbeddedPostgres.cluster().password());
		for (CompletableFuture<HttpResponse<String>> request : slow) {
			HttpResponse<String> response = request.get(10, TimeUnit.SECONDS);
			assertThat(response.statusCode()).isEqualTo(200);
		}
		DocumentContext exhausted = JsonPath
			.parse(Http.get(this.port, "/actuator/metrics/pool.exhausted?tag=pool:primary").body());
		assertThat(exhausted.read("$.measurements[0].value", Double.class)).isGreaterThanOrEqualTo(1.0);
	}

	@Test
	void deadlockAndQueryTimeoutAreNot503() {
		HttpResponse<String> deadlock = Http.get(this.port, "/raise?state=40P01");
		assertThat(deadlock.statusCode()).isEqualTo(500);
		HttpResponse<String> queryTimeout = Http.get(this.port, "/raise?state=57014");
		assertThat(queryTimeout.statusCode()).isEqualTo(500);
	}

}
