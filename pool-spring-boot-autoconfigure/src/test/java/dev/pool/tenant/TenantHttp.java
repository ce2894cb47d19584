package dev.pool.tenant;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What a client with or without a tenant header sees.
 */
final class TenantHttp {

	private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private TenantHttp() {
	}

	static HttpResponse<String> get(int port, String path, @Nullable String tenant) {
		return send(request(port, path, tenant).GET().build());
	}

	static HttpResponse<String> post(int port, String path, @Nullable String tenant) {
		return send(request(port, path, tenant).POST(HttpRequest.BodyPublishers.noBody()).build());
	}

	private static HttpRequest.Builder request(int port, String path, @Nullable String tenant) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.timeout(Duration.ofSeconds(60));
		if (tenant != null) {
			builder.header("X-Tenant-ID", tenant);
		}
		return builder;
	}

	private static HttpResponse<String> send(HttpRequest request) {
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
