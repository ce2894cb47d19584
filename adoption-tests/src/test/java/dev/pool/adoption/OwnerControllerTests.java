package dev.pool.adoption;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OwnerControllerTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Test
	void anAddedOwnerCanBeFoundRightAway() throws Exception {
		HttpResponse<String> added = this.http.send(HttpRequest.newBuilder(uri("/owners"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers
				.ofString("{\"firstName\":\"Peter\",\"lastName\":\"McTavish\",\"city\":\"Madison\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(added.statusCode()).isEqualTo(201);
		String location = added.headers().firstValue("Location").orElseThrow();
		HttpResponse<String> found = this.http.send(HttpRequest.newBuilder(uri(location)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(found.statusCode()).isEqualTo(200);
		assertThat(found.body()).contains("\"lastName\":\"McTavish\"");
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
