package dev.pool.autoconfigure;

import java.util.List;

import dev.pool.ReadYourWrites;
import dev.pool.TenantResolver;
import dev.pool.internal.routing.RoutingDataSource;
import dev.pool.internal.tenant.TenantContext;
import dev.pool.internal.tenant.TenantIds;
import dev.pool.internal.web.ConnectionUnavailableExceptionResolver;
import dev.pool.internal.web.ReadYourWritesFilter;
import dev.pool.internal.web.TenantExceptionResolver;
import dev.pool.internal.web.TenantInterceptor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Spring MVC: pool exhaustion (and the starter's own refusals) answered as 503 with
 * {@code Retry-After} and a problem detail; read-your-writes carried between a client's
 * requests.
 */
@AutoConfiguration(after = { PoolAutoConfiguration.class, PoolTenantsAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBean(RoutingDataSource.class)
public final class PoolWebAutoConfiguration {

	@Bean
	@ConditionalOnBooleanProperty(name = "app.datasource.exhaustion.enabled", matchIfMissing = true)
	@ConditionalOnMissingBean
	ConnectionUnavailableExceptionResolver poolConnectionUnavailableExceptionResolver(PoolProperties properties,
			ObjectProvider<RequestMappingHandlerAdapter> handlerAdapter) {
		// Asked when a 503 is written, so the converters are the ones MVC ended up with.
		return new ConnectionUnavailableExceptionResolver(properties.getExhaustion().getRetryAfter(),
				() -> converters(handlerAdapter.getIfAvailable()));
	}

	@Bean
	@Conditional(OnReadYourWritesCondition.class)
	ReadYourWritesFilter poolReadYourWritesFilter(ReadYourWrites readYourWrites, PoolProperties properties) {
		// An application's own ReadYourWrites bean makes the filter pass requests
		// through.
		return new ReadYourWritesFilter(readYourWrites, properties.getConsistency().getCookieName());
	}

	/**
	 * The request's tenant (header or the application's {@link TenantResolver}) put in
	 * scope for the application's handlers; bad and unknown ids answered 400 and 404.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(OnTenancyCondition.class)
	static class TenantWebConfiguration {

		@Bean
		TenantInterceptor poolTenantInterceptor(ObjectProvider<TenantResolver> resolver, TenantIds poolTenantIds,
				TenantContext poolTenantContext, PoolProperties properties) {
			PoolProperties.Tenants tenants = properties.getTenants();
			return new TenantInterceptor(
					resolver.getIfAvailable(() -> new TenantInterceptor.HeaderTenantResolver(tenants.getHeaderName())),
					poolTenantIds, poolTenantContext, tenants.isRequireTenant());
		}

		@Bean
		WebMvcConfigurer poolTenantWebMvcConfigurer(TenantInterceptor poolTenantInterceptor) {
			return new WebMvcConfigurer() {

				@Override
				public void addInterceptors(InterceptorRegistry registry) {
					// First, so every other interceptor (open-in-view included) runs as
					// the tenant.
					registry.addInterceptor(poolTenantInterceptor).order(Ordered.HIGHEST_PRECEDENCE);
				}

			};
		}

		@Bean
		TenantExceptionResolver poolTenantExceptionResolver(
				ObjectProvider<RequestMappingHandlerAdapter> handlerAdapter) {
			return new TenantExceptionResolver(() -> converters(handlerAdapter.getIfAvailable()));
		}

	}

	private static List<HttpMessageConverter<?>> converters(RequestMappingHandlerAdapter adapter) {
		return (adapter != null) ? adapter.getMessageConverters() : List.of();
	}

}
