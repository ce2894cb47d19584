package dev.pool;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Which tenant a web request is for, when the {@code X-Tenant-ID} header (or
 * {@code app.datasource.tenants.header-name}) is not how the application tells: a
 * subdomain, a JWT claim, a path segment. The id it returns is checked like a header's.
 */
@FunctionalInterface
public interface TenantResolver {

	/**
	 * The tenant a request is for.
	 * @param request the request
	 * @return the tenant id as the client gave it, or {@code null} when the request names
	 * no tenant
	 */
	@Nullable String resolveTenant(HttpServletRequest request);

}
