package dev.pool.it;

import java.net.http.HttpResponse;

import dev.pool.internal.routing.ConnectionGate;
import dev.pool.test.EmbeddedPostgresProperties;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request that asks for a connection while the pools drain gets 503 from the same
 * translator.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class DrainingHttpTests {

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		EmbeddedPostgresProperties.register(registry, "draining_http_test");
		registry.add("app.datasource.drain.timeout", () -> "1s");
	}

	@LocalServerPort
	int port;

	@Autowired
	ConnectionGate gate;

	@Test
	void requestDuringDrainGets503() {
		assertThat(Http.get(this.port, "/read").statusCode()).isEqualTo(200);
		this.gate.close();
		for (String path : new String[] { "/read", "/slow?millis=10" }) {
			HttpResponse<String> response = Http.get(this.port, path);
			assertThat(response.statusCode()).isEqualTo(503);
			assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
			assertThat(response.body()).contains("\"status\":503").doesNotContain("drain");
		}
	}

}
