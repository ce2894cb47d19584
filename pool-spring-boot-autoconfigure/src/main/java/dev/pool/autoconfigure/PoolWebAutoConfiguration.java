package dev.pool.autoconfigure;

import java.util.List;

import dev.pool.internal.routing.RoutingDataSource;
import dev.pool.internal.web.ConnectionUnavailableExceptionResolver;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Spring MVC: pool exhaustion (and the starter's own refusals) answered as 503 with
 * {@code Retry-After} and a problem detail.
 */
@AutoConfiguration(after = PoolAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBean(RoutingDataSource.class)
@ConditionalOnBooleanProperty(name = "app.datasource.exhaustion.enabled", matchIfMissing = true)
public final class PoolWebAutoConfiguration {

	@Bean
	ConnectionUnavailableExceptionResolver poolConnectionUnavailableExceptionResolver(PoolProperties properties,
			ObjectProvider<RequestMappingHandlerAdapter> handlerAdapter) {
		// Asked when a 503 is written, so the converters are the ones MVC ended up with.
		return new ConnectionUnavailableExceptionResolver(properties.getExhaustion().getRetryAfter(),
				() -> converters(handlerAdapter.getIfAvailable()));
	}

	private static List<HttpMessageConverter<?>> converters(RequestMappingHandlerAdapter adapter) {
		return (adapter != null) ? adapter.getMessageConverters() : List.of();
	}

}
