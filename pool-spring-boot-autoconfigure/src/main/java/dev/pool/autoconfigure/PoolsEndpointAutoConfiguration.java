package dev.pool.autoconfigure;

import dev.pool.internal.datasource.DataSourcePools;
import dev.pool.internal.datasource.PoolTrackers;
import dev.pool.internal.endpoint.PoolsEndpoint;
import dev.pool.internal.endpoint.PoolsEndpointWebExtension;
import dev.pool.internal.probe.NodeProbes;
import dev.pool.internal.routing.RoutingCounts;
import dev.pool.internal.routing.RoutingDataSource;
import dev.pool.internal.tenant.TenantRegistry;
import dev.pool.internal.topology.LiveTopology;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
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
	PoolsEndpoint poolsEndpoint(LiveTopology poolTopology, DataSourcePools pools, RoutingCounts poolRoutingCounts,
			PoolTrackers poolTrackers, Environment environment, ObjectProvider<TenantRegistry> poolTenantRegistry,
			NodeProbes poolProbes) {
		return new PoolsEndpoint(poolTopology, pools, poolRoutingCounts, poolTrackers,
				PoolAutoConfiguration.applicationName(environment), poolTenantRegistry.getIfAvailable(), poolProbes);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(endpoint = PoolsEndpoint.class, exposure = EndpointExposure.WEB)
	PoolsEndpointWebExtension poolsEndpointWebExtension(PoolsEndpoint poolsEndpoint) {
		return new PoolsEndpointWebExtension(poolsEndpoint);
	}

}
