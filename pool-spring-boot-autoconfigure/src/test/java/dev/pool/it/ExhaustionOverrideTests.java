package dev.pool.it;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.test.EmbeddedPostgresProperties;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application's own handler for the wrapped exception wins over the starter's.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(ExhaustionOverrideTests.AppHandler.class)
class ExhaustionOverrideTests {

	private static final String DB = "exhaustion_override_test";

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		EmbeddedPostgresProperties.register(registry, DB);
		registry.add("app.datasource.primary.maximum-pool-size", () -> "2");
		registry.add("app.datasource.primary.connection-timeout", () -> "500ms");
	}

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("primaryDataSource")
	HikariDataSource primary;

	@Test
	void applicationHandlerWins() throws Exception {
		List<Connection> held = new ArrayList<>();
		try {
			held.add(this.primary.getConnection());
			held.add(this.primary.getConnection());
			HttpResponse<String> refused = Http.get(this.port, "/slow?millis=10");
			assertThat(refused.statusCode()).isEqualTo(429);
			assertThat(refused.body()).isEqualTo("busy, says the application");
		}
		finally {
			for (Connection connection : held) {
				connection.close();
			}
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
