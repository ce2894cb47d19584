package dev.pool.consistency;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.pool.ReadYourWrites;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code app.datasource.consistency.read-your-writes=false} restores the behaviour
 * without it: no token, and a read right after a write goes to a replica that has not
 * replayed it.
 */
@SpringBootTest(classes = NotesApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "app.datasource.consistency.read-your-writes=false")
class ReadYourWritesOffTests {

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DelayedReplicas.register(registry);
	}

	@LocalServerPort
	int port;

	@Autowired
	ReadYourWrites readYourWrites;

	@Test
	void aReadRightAfterAWriteGoesToALaggingReplica() throws Exception {
		HttpClient client = HttpClient.newHttpClient();
		HttpResponse<String> created = client.send(
				HttpRequest.newBuilder(uri("/notes?text=off")).POST(HttpRequest.BodyPublishers.noBody()).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(created.statusCode()).isEqualTo(302);
		assertThat(created.headers().firstValue("DB-Consistency")).isEmpty();
		assertThat(created.headers().allValues("Set-Cookie")).isEmpty();
		HttpResponse<String> shown = client.send(
				HttpRequest.newBuilder(uri(created.headers().firstValue("Location").orElseThrow())).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(shown.statusCode()).isEqualTo(404);
		DocumentContext sameRequest = JsonPath.parse(
				client
					.send(HttpRequest.newBuilder(uri("/notes/autocommit?text=off-same"))
						.POST(HttpRequest.BodyPublishers.noBody())
						.build(), HttpResponse.BodyHandlers.ofString())
					.body());
		assertThat(sameRequest.read("$.count", Integer.class)).isZero();
		assertThat(sameRequest.read("$.node", String.class)).startsWith("true:");
		assertThat(this.readYourWrites.currentToken()).isEmpty();
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
