package dev.pool.autoconfigure;

import java.util.List;

import dev.pool.ReadYourWrites;
import dev.pool.internal.consistency.ReadYourWritesSupport;
import dev.pool.internal.routing.RoutingDataSource;
import dev.pool.internal.web.ConnectionUnavailableExceptionResolver;
import dev.pool.internal.web.ReadYourWritesFilter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.util.Assert;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Spring MVC: pool exhaustion (and the starter's own refusals) answered as 503 with
 * {@code Retry-After} and a problem detail; read-your-writes carried between a client's
 * requests.
 */
@AutoConfiguration(after = PoolAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBean(RoutingDataSource.class)
public final class PoolWebAutoConfiguration {

	@Bean
	@ConditionalOnBooleanProperty(name = "app.datasource.exhaustion.enabled", matchIfMissing = true)
	ConnectionUnavailableExceptionResolver poolConnectionUnavailableExceptionResolver(PoolProperties properties,
			ObjectProvider<RequestMappingHandlerAdapter> handlerAdapter) {
		// Asked when a 503 is written, so the converters are the ones MVC ended up with.
		return new ConnectionUnavailableExceptionResolver(properties.getExhaustion().getRetryAfter(),
				() -> converters(handlerAdapter.getIfAvailable()));
	}

	@Bean
	@Conditional(OnReadYourWritesCondition.class)
	ReadYourWritesFilter poolReadYourWritesFilter(ReadYourWrites readYourWrites, PoolProperties properties) {
		Assert.state(readYourWrites instanceof ReadYourWritesSupport, "read-your-writes is off");
		return new ReadYourWritesFilter((ReadYourWritesSupport) readYourWrites,
				properties.getConsistency().getCookieName());
	}

	private static List<HttpMessageConverter<?>> converters(RequestMappingHandlerAdapter adapter) {
		return (adapter != null) ? adapter.getMessageConverters() : List.of();
	}

}
