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
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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

	/**
	 * Resilience4j's Micrometer module without its Spring Boot module, and no
	 * {@code CircuitBreakerRegistry} of the application's: a registry of the starter's
	 * own holds the primaries' breakers, so {@code resilience4j.circuitbreaker.*} meters
	 * follow them (with the Spring Boot module its registry and meters are used).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics")
	@ConditionalOnMissingClass("io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration")
	@ConditionalOnMissingBean(CircuitBreakerRegistry.class)
	static class PoolCircuitBreakerMetricsConfiguration {

		@Bean
		CircuitBreakerRegistry poolCircuitBreakerRegistry() {
			return CircuitBreakerRegistry.ofDefaults();
		}

		@Bean
		MeterBinder poolCircuitBreakerMeters(CircuitBreakerRegistry poolCircuitBreakerRegistry) {
			return TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(poolCircuitBreakerRegistry);
		}

	}

	private static PoolMeterBinder.Sizing sizing(@Nullable Fleet fleet) {
		if (fleet == null) {
			return PoolMeterBinder.Sizing.FIXED;
		}
		return fleet.hasBudget() ? PoolMeterBinder.Sizing.FLEET : PoolMeterBinder.Sizing.ADAPTIVE;
	}

}
