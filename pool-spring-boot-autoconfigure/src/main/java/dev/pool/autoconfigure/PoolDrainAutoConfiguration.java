package dev.pool.autoconfigure;

import dev.pool.internal.datasource.DataSourcePools;
import dev.pool.internal.drain.PoolDrain;
import dev.pool.internal.routing.ConnectionGate;
import dev.pool.internal.routing.RoutingDataSource;
import dev.pool.internal.tenant.TenantRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

/**
 * Graceful drain of every pool at shutdown.
 */
@AutoConfiguration(after = PoolAutoConfiguration.class)
@ConditionalOnBean(RoutingDataSource.class)
public final class PoolDrainAutoConfiguration {

	@Bean
	PoolDrain poolDrain(ConnectionGate poolConnectionGate, DataSourcePools pools, PoolProperties properties,
			ApplicationEventPublisher events, ObjectProvider<TenantRegistry> poolTenantRegistry) {
		return new PoolDrain(poolConnectionGate, pools, properties.getDrain().getTimeout(), events,
				poolTenantRegistry.getIfAvailable());
	}

}
