package dev.pool.autoconfigure;

import dev.pool.datasource.DataSourcePools;
import dev.pool.drain.PoolDrain;
import dev.pool.routing.RoutingDataSource;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

/**
 * Graceful drain of every pool at shutdown.
 */
@AutoConfiguration(after = PoolAutoConfiguration.class)
@ConditionalOnBean(RoutingDataSource.class)
public final class PoolDrainAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PoolDrain poolDrain(RoutingDataSource router, DataSourcePools pools, PoolProperties properties,
			ApplicationEventPublisher events) {
		return new PoolDrain(router, pools, properties.getDrain().getTimeout(), events);
	}

}
