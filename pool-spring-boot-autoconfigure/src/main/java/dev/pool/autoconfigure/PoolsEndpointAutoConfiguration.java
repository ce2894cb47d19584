package dev.pool.autoconfigure;

import dev.pool.datasource.DataSourcePools;
import dev.pool.endpoint.PoolDiagnosis;
import dev.pool.endpoint.PoolsEndpoint;
import dev.pool.routing.RoutingCounts;
import dev.pool.routing.RoutingDataSource;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The {@code pools} actuator endpoint (expose it with
 * {@code management.endpoints.web.exposure.include}).
 */
@AutoConfiguration(after = PoolAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(RoutingDataSource.class)
@ConditionalOnAvailableEndpoint(PoolsEndpoint.class)
public final class PoolsEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PoolDiagnosis poolDiagnosis(DataSourcePools pools, Environment environment) {
		return new PoolDiagnosis(pools, environment.getProperty("spring.application.name"));
	}

	@Bean
	@ConditionalOnMissingBean
	PoolsEndpoint poolsEndpoint(DataSourcePools pools, RoutingDataSource router, RoutingCounts poolRoutingCounts,
			PoolDiagnosis poolDiagnosis) {
		return new PoolsEndpoint(pools, router, poolRoutingCounts, poolDiagnosis);
	}

}
