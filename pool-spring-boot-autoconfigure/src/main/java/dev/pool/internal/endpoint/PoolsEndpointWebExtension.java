package dev.pool.internal.endpoint;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.http.HttpStatus;
import org.springframework.util.MimeType;

/**
 * The {@code pools} endpoint over HTTP: an unknown pool is 404, a bad resize 400, both
 * with a problem detail that names the field and the rule.
 */
@EndpointWebExtension(endpoint = PoolsEndpoint.class)
public final class PoolsEndpointWebExtension {

	private static final MimeType PROBLEM_JSON = MimeType.valueOf("application/problem+json");

	private final PoolsEndpoint endpoint;

	/**
	 * Creates the extension.
	 * @param endpoint the endpoint it answers for
	 */
	public PoolsEndpointWebExtension(PoolsEndpoint endpoint) {
		this.endpoint = endpoint;
	}

	/**
	 * One pool and its diagnosis.
	 * @param name the pool
	 * @return the pool, or 404
	 */
	@ReadOperation
	public WebEndpointResponse<Map<String, Object>> pool(@Selector String name) {
		Map<String, Object> pool = this.endpoint.pool(name);
		if (pool == null) {
			return problem(HttpStatus.NOT_FOUND, this.endpoint.unknown(name));
		}
		return new WebEndpointResponse<>(pool);
	}

	/**
	 * Changes a pool's maximum size and/or minimum idle at runtime.
	 * @param name the pool
	 * @param maximumPoolSize the new maximum
	 * @param minimumIdle the new minimum idle
	 * @return the resized pool, or 400 / 404 with a problem detail
	 */
	@WriteOperation
	public WebEndpointResponse<Map<String, Object>> resize(@Selector String name, @Nullable String maximumPoolSize,
			@Nullable String minimumIdle) {
		PoolsEndpoint.Resize resize = this.endpoint.resize0(name, maximumPoolSize, minimumIdle);
		String problem = resize.problem();
		if (problem != null) {
			return problem(HttpStatus.valueOf(resize.status()), problem);
		}
		return new WebEndpointResponse<>(resize.pool());
	}

	private static WebEndpointResponse<Map<String, Object>> problem(HttpStatus status, String detail) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", "about:blank");
		body.put("title", status.getReasonPhrase());
		body.put("status", status.value());
		body.put("detail", detail);
		return new WebEndpointResponse<>(body, status.value(), PROBLEM_JSON);
	}

}
