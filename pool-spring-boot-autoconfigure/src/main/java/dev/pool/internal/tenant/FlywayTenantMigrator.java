package dev.pool.internal.tenant;

import java.util.List;

import dev.pool.PoolCredentials;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import org.springframework.boot.jdbc.DatabaseDriver;

/**
 * Migrates a tenant with Flyway from the tenant locations; in mode schema the tenant's
 * schema is Flyway's schema (created when missing, and home of its history table). As in
 * {@code spring.flyway.locations}, {@code {vendor}} in a location is the tenant
 * database's kind ({@code postgresql}, {@code mariadb}, ...), read from its URL.
 */
public final class FlywayTenantMigrator implements TenantMigrator {

	private final List<String> locations;

	private final ClassLoader classLoader;

	/**
	 * Creates the migrator.
	 * @param locations {@code app.datasource.tenants.flyway.locations}
	 * @param classLoader where classpath locations are found
	 */
	public FlywayTenantMigrator(List<String> locations, ClassLoader classLoader) {
		this.locations = List.copyOf(locations);
		this.classLoader = classLoader;
	}

	@Override
	public void migrate(String tenantId, Target target) {
		// The login as it is now, so a migration after a rotation logs in with the new
		// one.
		PoolCredentials.Login login = target.credentials().login();
		FluentConfiguration configuration = Flyway.configure(this.classLoader)
			.dataSource(target.url(), (login != null) ? login.username() : null,
					(login != null) ? login.password() : target.credentials().passwordAlone())
			.locations(locations(target.url()));
		if (target.schema() != null) {
			configuration.schemas(target.schema());
		}
		configuration.load().migrate();
	}

	private String[] locations(String url) {
		String vendor = DatabaseDriver.fromJdbcUrl(url).getId();
		return this.locations.stream().map((location) -> location.replace("{vendor}", vendor)).toArray(String[]::new);
	}

}
