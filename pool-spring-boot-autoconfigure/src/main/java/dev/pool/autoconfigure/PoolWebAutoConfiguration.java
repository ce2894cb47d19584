package dev.pool.autoconfigure;

import dev.pool.routing.RoutingDataSource;
import dev.pool.web.ConnectionUnavailableExceptionResolver;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.DispatcherServlet;

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
	@ConditionalOnMissingBean
	ConnectionUnavailableExceptionResolver poolConnectionUnavailableExceptionResolver(PoolProperties properties) {
		return new ConnectionUnavailableExceptionResolver(properties.getExhaustion().getRetryAfter());
	}

}
