package dev.pool.internal.web;

import dev.pool.InvalidTenantIdException;
import dev.pool.TenantResolver;
import dev.pool.internal.tenant.TenantContext;
import dev.pool.internal.tenant.TenantIds;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Puts the request's tenant in scope for the handler, after checking it: malformed is
 * 400, unknown is 404 (both before any database is touched), none is 400 when a tenant is
 * required. An interceptor of the application's handlers, not a filter, so actuator
 * endpoints and error pages never need a tenant.
 */
public final class TenantInterceptor implements HandlerInterceptor {

	private static final String PREVIOUS = TenantInterceptor.class.getName() + ".previous";

	private final TenantResolver resolver;

	private final TenantIds ids;

	private final TenantContext context;

	private final boolean required;

	/**
	 * Creates the interceptor.
	 * @param resolver which tenant a request names
	 * @param ids the id check
	 * @param context the thread's tenant
	 * @param required whether a request without a tenant is refused
	 */
	public TenantInterceptor(TenantResolver resolver, TenantIds ids, TenantContext context, boolean required) {
		this.resolver = resolver;
		this.ids = ids;
		this.context = context;
		this.required = required;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (request.getDispatcherType() != DispatcherType.REQUEST) {
			return true;
		}
		String tenant = this.resolver.resolveTenant(request);
		if (tenant == null) {
			if (this.required) {
				throw new InvalidTenantIdException("This request names no tenant");
			}
			return true;
		}
		String previous = this.context.enter(this.ids.check(tenant));
		request.setAttribute(PREVIOUS, new Previous(previous));
		return true;
	}

	@Override
	public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
			@Nullable Exception ex) {
		if (request.getAttribute(PREVIOUS) instanceof Previous previous) {
			request.removeAttribute(PREVIOUS);
			this.context.restore(previous.tenant());
		}
	}

	private record Previous(@Nullable String tenant) {
	}

	/**
	 * The default resolver: the tenant named by a request header.
	 *
	 * @param header the header name
	 */
	public record HeaderTenantResolver(String header) implements TenantResolver {

		@Override
		public @Nullable String resolveTenant(HttpServletRequest request) {
			return request.getHeader(this.header);
		}

	}

}
