package dev.pool.tenant;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.pool.it.Http;
import org.jspecify.annotations.Nullable;

/**
 * What a client with or without a tenant header sees.
 */
final class TenantHttp {

	private TenantHttp() {
	}

	static HttpResponse<String> get(int port, String path, @Nullable String tenant) {
		return Http.send(request(port, path, tenant).GET().build());
	}

	static HttpResponse<String> post(int port, String path, @Nullable String tenant) {
		return Http.send(request(port, path, tenant).POST(HttpRequest.BodyPublishers.noBody()).build());
	}

	private static HttpRequest.Builder request(int port, String path, @Nullable String tenant) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.timeout(Duration.ofSeconds(60));
		if (tenant != null) {
			builder.header("X-Tenant-ID", tenant);
		}
		return builder;
	}

}
