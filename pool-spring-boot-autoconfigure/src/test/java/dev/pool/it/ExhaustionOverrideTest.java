package dev.pool.it;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.pool.test.EmbeddedPostgresProperties;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application's own handler for the wrapped exception wins over the starter's.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(ExhaustionOverrideTest.AppHandler.class)
class ExhaustionOverrideTest {

	private static final String DB = "exhaustion_override_test";

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		EmbeddedPostgresProperties.register(registry, DB);
		registry.add("app.datasource.primary.maximum-pool-size", () -> "2");
		registry.add("app.datasource.primary.connection-timeout", () -> "500ms");
	}

	@LocalServerPort
	int port;

	@Test
	void applicationHandlerWins() throws Exception {
		List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			slow.add(CompletableFuture.supplyAsync(() -> Http.get(this.port, "/slow?millis=2000")));
		}
		Thread.sleep(400);
		HttpResponse<String> third = Http.get(this.port, "/slow?millis=10");
		assertThat(third.statusCode()).isEqualTo(429);
		assertThat(third.body()).isEqualTo("busy, says the application");
		for (CompletableFuture<HttpResponse<String>> request : slow) {
			assertThat(request.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
		}
	}

	@TestConfiguration(proxyBeanMethods = false)
	@RestControllerAdvice
	static class AppHandler {

		@ExceptionHandler(TransientDataAccessException.class)
		ResponseEntity<String> busy(TransientDataAccessException ex) {
			return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).body("busy, says the application");
		}

	}

}
