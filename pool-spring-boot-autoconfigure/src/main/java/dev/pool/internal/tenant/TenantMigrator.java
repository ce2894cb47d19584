package dev.pool.internal.tenant;

import dev.pool.internal.credentials.CredentialSource;
import dev.pool.internal.datasource.JdbcUrls;
import org.jspecify.annotations.Nullable;

/**
 * Migrates one tenant's database or schema, on a connection of its own (never a pooled
 * one).
 */
@FunctionalInterface
public interface TenantMigrator {

	/** No migrations (Flyway absent or turned off). */
	TenantMigrator NONE = (tenant, target) -> {
	};

	/**
	 * Migrates a tenant; returns once it is up to date.
	 * @param tenantId the tenant
	 * @param target where its tables live
	 * @throws Exception when the migration fails
	 */
	void migrate(String tenantId, Target target) throws Exception;

	/**
	 * Where a tenant's tables live.
	 *
	 * @param url JDBC URL of the tenant's database (the primary's in mode schema)
	 * @param credentials where the login comes from, read when the migration connects
	 * @param schema the tenant's schema in mode schema, else {@code null}
	 */
	record Target(String url, CredentialSource credentials, @Nullable String schema) {

		@Override
		public String toString() {
			return "Target[url=" + JdbcUrls.withoutCredentials(this.url) + ", schema=" + this.schema + "]";
		}

	}

}
