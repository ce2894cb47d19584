package dev.pool.autoconfigure;

import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.pool.internal.datasource.DataSourcePools;
import dev.pool.internal.datasource.PoolTrackers;
import dev.pool.internal.fleet.Fleet;
import dev.pool.internal.metrics.PoolMeterBinder;
import dev.pool.internal.metrics.TenantMeterBinder;
import dev.pool.internal.routing.RoutingCounts;
import dev.pool.internal.routing.RoutingDataSource;
import dev.pool.internal.tenant.TenantPools;
import dev.pool.internal.topology.LiveTopology;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters for every pool: HikariCP's own {@code hikaricp.connections*} plus the
 * starter's routing, exhaustion and replica meters.
 */
@AutoConfiguration(
		after = { PoolAutoConfiguration.class, PoolTenantsAutoConfiguration.class, PoolFleetAutoConfiguration.class })
@ConditionalOnClass({ MeterRegistry.class, MicrometerMetricsTrackerFactory.class })
@ConditionalOnBean(RoutingDataSource.class)
public final class PoolMetricsAutoConfiguration {

	@Bean
	PoolMeterBinder poolMeterBinder(LiveTopology poolTopology, PoolTrackers poolTrackers,
			RoutingCounts poolRoutingCounts, DataSourcePools pools, ObjectProvider<Fleet> poolFleet) {
		return new PoolMeterBinder(poolTopology, poolTrackers, poolRoutingCounts, pools.extras(),
				sizing(poolFleet.getIfAvailable()));
	}

	/** The tenant pools' meters, when tenancy is in mode database. */
	@Bean
	@ConditionalOnBean(TenantPools.class)
	TenantMeterBinder poolTenantMeterBinder(TenantPools poolTenants) {
		return new TenantMeterBinder(poolTenants);
	}

	private static PoolMeterBinder.Sizing sizing(@Nullable Fleet fleet) {
		if (fleet == null) {
			return PoolMeterBinder.Sizing.FIXED;
		}
		return fleet.hasBudget() ? PoolMeterBinder.Sizing.FLEET : PoolMeterBinder.Sizing.ADAPTIVE;
	}

}
