package dev.pool.autoconfigure;

import java.util.function.Function;
import java.util.regex.Pattern;

import dev.pool.TenantDirectory;
import dev.pool.TenantScope;
import dev.pool.internal.datasource.DataSourcePools;
import dev.pool.internal.datasource.PoolTrackers;
import dev.pool.internal.datasource.PoolSettings;
import dev.pool.internal.routing.ConnectionGate;
import dev.pool.internal.routing.RoutingDataSource;
import dev.pool.internal.routing.Tenancy;
import dev.pool.internal.tenant.DefaultTenantScope;
import dev.pool.internal.tenant.FlywayTenantMigrator;
import dev.pool.internal.tenant.KnownTenants;
import dev.pool.internal.tenant.ScopedTenancy;
import dev.pool.internal.tenant.TenantContext;
import dev.pool.internal.tenant.TenantIds;
import dev.pool.internal.tenant.TenantMigrations;
import dev.pool.internal.tenant.TenantMigrator;
import dev.pool.internal.tenant.TenantPools;
import dev.pool.internal.tenant.TenantRegistry;
import dev.pool.internal.tenant.TenantSchemas;
import dev.pool.internal.topology.LiveTopology;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Multi-tenancy, on when {@code app.datasource.tenants.mode} is set: while a tenant is in
 * scope the application's {@code DataSource} hands out the tenant's connections (a pool
 * per tenant database, or the primary's pool set to the tenant's schema), migrated with
 * Flyway when it is present.
 */
@AutoConfiguration(after = PoolAutoConfiguration.class)
@ConditionalOnBean(RoutingDataSource.class)
@Conditional(OnTenancyCondition.class)
public final class PoolTenantsAutoConfiguration {

	private static final Log logger = LogFactory.getLog(PoolTenantsAutoConfiguration.class);

	@Bean
	TenantContext poolTenantContext() {
		return new TenantContext();
	}

	@Bean
	TenantIds poolTenantIds(PoolProperties properties, ObjectProvider<TenantDirectory> directory, DataSourcePools pools,
			Environment environment) {
		TenantDirectory own = directory.getIfAvailable();
		settingsFactory(properties, environment).validateTenants(own != null, pools.initialPrimary().settings());
		PoolProperties.Tenants tenants = properties.getTenants();
		return new TenantIds(Pattern.compile(tenants.getIdPattern()),
				(own != null) ? own : new KnownTenants(tenants.getKnown()));
	}

	@Bean
	@ConditionalOnMissingBean
	TenantScope poolTenantScope(TenantIds poolTenantIds, TenantContext poolTenantContext) {
		return new DefaultTenantScope(poolTenantIds, poolTenantContext);
	}

	@Bean
	TenantMigrations poolTenantMigrations(ObjectProvider<TenantMigrator> poolTenantMigrator) {
		return new TenantMigrations(poolTenantMigrator.getIfAvailable(() -> TenantMigrator.NONE));
	}

	/** Mode database: a pool per tenant. */
	@Bean(destroyMethod = "close")
	@ConditionalOnProperty(name = "app.datasource.tenants.mode", havingValue = "database")
	TenantPools poolTenantPools(PoolProperties properties, TenantIds poolTenantIds, DataSourcePools pools,
			TenantMigrations poolTenantMigrations, ConnectionGate poolConnectionGate,
			ObjectProvider<PoolTrackers> poolTrackers, Environment environment) {
		PoolProperties.Tenants tenants = properties.getTenants();
		PoolSettingsFactory factory = settingsFactory(properties, environment);
		PoolSettings primary = pools.initialPrimary().settings();
		if (tenants.getFlyway().isMigrateOnStartup()) {
			migrateAll(poolTenantIds, poolTenantMigrations, (id) -> {
				PoolSettings settings = factory.tenant(id, primary);
				return new TenantMigrator.Target(settings.url(), settings.credentials(), null);
			});
		}
		TenantPools registry = new TenantPools((id) -> factory.tenant(id, primary), poolTenantMigrations,
				poolTrackers.getIfAvailable(), tenants.getMaxLivePools(), tenants.getMaxTotalConnections(),
				tenants.getPoolIdleTimeout());
		poolConnectionGate.onClose(registry::refuseNewConnections);
		return registry;
	}

	/** Mode schema: the primary's pool, set to the tenant's schema. */
	@Bean(destroyMethod = "close")
	@ConditionalOnProperty(name = "app.datasource.tenants.mode", havingValue = "schema")
	TenantSchemas poolTenantSchemas(PoolProperties properties, TenantIds poolTenantIds, LiveTopology poolTopology,
			TenantMigrations poolTenantMigrations, ConnectionGate poolConnectionGate) {
		PoolProperties.Tenants tenants = properties.getTenants();
		TenantSchemas registry = new TenantSchemas(poolTopology, tenants.getSchemaTemplate(), poolTenantMigrations);
		if (tenants.getFlyway().isMigrateOnStartup()) {
			migrateAll(poolTenantIds, poolTenantMigrations, registry::target);
		}
		poolConnectionGate.onClose(registry::refuseNewConnections);
		return registry;
	}

	@Bean
	Tenancy poolTenancy(TenantContext poolTenantContext, TenantRegistry poolTenantRegistry) {
		return new ScopedTenancy(poolTenantContext, poolTenantRegistry);
	}

	private static void migrateAll(TenantIds ids, TenantMigrations migrations,
			Function<String, TenantMigrator.Target> targets) {
		long start = System.nanoTime();
		int count = ids.directory().all().size();
		int failed = migrations.migrateAll(ids.directory().all(), targets);
		logger.info("Migrated " + (count - failed) + " of " + count + " tenants at startup in "
				+ (System.nanoTime() - start) / 1_000_000 + "ms" + ((failed > 0) ? "; " + failed + " failed" : ""));
	}

	private static PoolSettingsFactory settingsFactory(PoolProperties properties, Environment environment) {
		return new PoolSettingsFactory(properties, PoolAutoConfiguration.applicationName(environment));
	}

	/** Tenant migrations with Flyway, from app.datasource.tenants.flyway.locations. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.flywaydb.core.Flyway")
	@ConditionalOnBooleanProperty(name = "app.datasource.tenants.flyway.enabled", matchIfMissing = true)
	static class TenantFlywayConfiguration {

		@Bean
		@ConditionalOnMissingBean
		TenantMigrator poolTenantMigrator(PoolProperties properties) {
			return new FlywayTenantMigrator(properties.getTenants().getFlyway().getLocations(),
					PoolTenantsAutoConfiguration.class.getClassLoader());
		}

	}

}
