package dev.pool.it;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pool exhaustion over HTTP, on every database the starter supports (one subclass each):
 * 503, Retry-After, problem+json, no internals; other SQL errors are not 503. Each
 * subclass gives the primary a pool of 2, a 1 s {@code connection-timeout} and a 3 s
 * {@code retry-after}.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
abstract class AbstractExhaustionTests {

	/**
	 * The application's password, which no answer may carry.
	 * @return the password
	 */
	abstract String password();

	/**
	 * The database's SQLStates for a deadlock and a query timeout, neither of them an
	 * exhaustion.
	 * @return the two states
	 */
	abstract String[] deadlockAndQueryTimeout();

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("primaryDataSource")
	HikariDataSource primary;

	@Test
	void aRequestThatGetsNoConnectionInTimeIs503AndServiceResumesOnceConnectionsReturn() throws Exception {
		List<Connection> held = new ArrayList<>();
		try {
			// Every connection of the pool is in use elsewhere.
			held.add(this.primary.getConnection());
			held.add(this.primary.getConnection());
			long start = System.nanoTime();
			HttpResponse<String> refused = Http.get(this.port, "/slow?millis=10");
			long millis = (System.nanoTime() - start) / 1_000_000;
			assertThat(refused.statusCode()).isEqualTo(503);
			// Answered after connection-timeout (1 s), never hung.
			assertThat(millis).as("ms until the 503").isBetween(900L, 10_000L);
			assertThat(refused.headers().firstValue("Retry-After")).hasValue("3");
			assertThat(refused.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
			DocumentContext problem = JsonPath.parse(refused.body());
			assertThat(problem.read("$.status", Integer.class)).isEqualTo(503);
			assertThat(problem.read("$.title", String.class)).isEqualTo("Service Unavailable");
			assertThat(problem.read("$.instance", String.class)).isEqualTo("/slow");
			assertThat(refused.body()).doesNotContain("primary")
				.doesNotContain("total=")
				.doesNotContain("jdbc:")
				.doesNotContain("SELECT")
				.doesNotContain(password());
		}
		finally {
			for (Connection connection : held) {
				connection.close();
			}
		}
		assertThat(Http.get(this.port, "/slow?millis=10").statusCode()).isEqualTo(200);
		DocumentContext exhausted = JsonPath
			.parse(Http.get(this.port, "/actuator/metrics/pool.exhausted?tag=pool:primary").body());
		assertThat(exhausted.read("$.measurements[0].value", Double.class)).isEqualTo(1.0);
	}

	@Test
	void deadlockAndQueryTimeoutAreNot503() {
		for (String state : deadlockAndQueryTimeout()) {
			assertThat(Http.get(this.port, "/raise?state=" + state).statusCode()).as(state).isEqualTo(500);
		}
	}

	@Test
	void anotherServiceThatRefusesConnectionsIsNotTheDatabase(CapturedOutput output) {
		HttpResponse<String> response = Http.get(this.port, "/remote");
		// Spring MVC's own answer to an unhandled exception, not the database's 503.
		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(response.headers().firstValue("Retry-After")).isEmpty();
		assertThat(output).doesNotContain("Answered 503");
	}

}
