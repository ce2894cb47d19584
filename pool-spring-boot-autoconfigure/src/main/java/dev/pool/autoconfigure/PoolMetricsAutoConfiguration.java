package dev.pool.autoconfigure;

import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.pool.datasource.DataSourcePools;
import dev.pool.metrics.PoolMeterBinder;
import dev.pool.routing.RoutingCounts;
import dev.pool.routing.RoutingDataSource;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters for every pool: HikariCP's own {@code hikaricp.connections*} plus the
 * starter's routing, exhaustion and replica meters.
 */
@AutoConfiguration(after = PoolAutoConfiguration.class)
@ConditionalOnClass({ MeterRegistry.class, MicrometerMetricsTrackerFactory.class })
@ConditionalOnBean(RoutingDataSource.class)
public final class PoolMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PoolMeterBinder poolMeterBinder(DataSourcePools pools, RoutingCounts poolRoutingCounts,
			RoutingDataSource router) {
		return new PoolMeterBinder(pools, poolRoutingCounts, router.replicaStates());
	}

}
