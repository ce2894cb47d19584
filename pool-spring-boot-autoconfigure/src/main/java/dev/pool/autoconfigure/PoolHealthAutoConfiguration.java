package dev.pool.autoconfigure;

import dev.pool.internal.datasource.DataSourcePools;
import dev.pool.internal.health.PoolHealthIndicator;
import dev.pool.internal.probe.NodeProbes;
import dev.pool.internal.routing.RoutingDataSource;
import dev.pool.internal.tenant.TenantRegistry;
import dev.pool.internal.topology.LiveTopology;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Replaces Boot's {@code db} health contributor with the starter's: status from the
 * primary only, every pool in the details. Existing health groups that include {@code db}
 * keep working; an application's own {@code dbHealthIndicator} or
 * {@code dbHealthContributor} bean wins.
 */
@AutoConfiguration(after = PoolAutoConfiguration.class,
		beforeName = "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration")
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(RoutingDataSource.class)
@ConditionalOnEnabledHealthIndicator("db")
public final class PoolHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = { "dbHealthIndicator", "dbHealthContributor" })
	PoolHealthIndicator dbHealthContributor(LiveTopology poolTopology, DataSourcePools pools,
			ObjectProvider<TenantRegistry> poolTenantRegistry, NodeProbes poolProbes) {
		return new PoolHealthIndicator(poolTopology, pools, poolTenantRegistry.getIfAvailable(), poolProbes);
	}

}
