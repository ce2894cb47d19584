package dev.pool.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A tiny HTTP client for the tests: what a user's curl would see.
 */
public final class Http {

	private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private Http() {
	}

	static HttpResponse<String> get(int port, String path) {
		return send(HttpRequest.newBuilder(uri(port, path)).timeout(Duration.ofSeconds(30)).GET().build());
	}

	static HttpResponse<String> postJson(int port, String path, String json) {
		return send(HttpRequest.newBuilder(uri(port, path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build());
	}

	private static URI uri(int port, String path) {
		return URI.create("http://localhost:" + port + path);
	}

	/**
	 * Sends a request and returns the response as text.
	 * @param request the request
	 * @return the response
	 */
	public static HttpResponse<String> send(HttpRequest request) {
		try {
			return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
