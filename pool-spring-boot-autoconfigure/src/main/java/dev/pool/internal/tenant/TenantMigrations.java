package dev.pool.internal.tenant;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.pool.TenantUnavailableException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Runs each tenant's migration once, before its first connection is handed out; a tenant
 * whose migration failed is refused (503) and tried again after a back-off, without
 * holding up any other tenant.
 */
public final class TenantMigrations {

	/** How long a failed tenant is refused before its migration is tried again. */
	static final Duration RETRY_AFTER = Duration.ofSeconds(30);

	private static final Log logger = LogFactory.getLog(TenantMigrations.class);

	private final TenantMigrator migrator;

	private final Map<String, State> states = new ConcurrentHashMap<>();

	/**
	 * Creates the migrations.
	 * @param migrator what migrates one tenant
	 */
	public TenantMigrations(TenantMigrator migrator) {
		this.migrator = migrator;
	}

	/**
	 * Returns once the tenant is migrated, migrating it now if this is its first use.
	 * @param tenantId the tenant
	 * @param target where its tables live
	 * @throws TenantUnavailableException when its migration failed (now or less than the
	 * back-off ago)
	 */
	public void ensure(String tenantId, TenantMigrator.Target target) throws TenantUnavailableException {
		if (this.migrator == TenantMigrator.NONE) {
			return;
		}
		State state = this.states.computeIfAbsent(tenantId, (id) -> new State());
		if (!state.done) {
			state.migrate(tenantId, target);
		}
	}

	/**
	 * Migrates the given tenants now, one after another; a failure is logged and
	 * remembered, and the others still run.
	 * @param tenantIds the tenants
	 * @param targets where each tenant's tables live
	 * @return how many failed
	 */
	public int migrateAll(Collection<String> tenantIds, Function<String, TenantMigrator.Target> targets) {
		int failed = 0;
		for (String tenant : tenantIds) {
			try {
				ensure(tenant, targets.apply(tenant));
			}
			catch (TenantUnavailableException ex) {
				failed++;
			}
		}
		return failed;
	}

	/**
	 * Tenants whose last migration failed.
	 * @return the count
	 */
	public int failed() {
		int failed = 0;
		for (State state : this.states.values()) {
			if (state.failure != null) {
				failed++;
			}
		}
		return failed;
	}

	private final class State {

		private volatile boolean done;

		private volatile @Nullable Throwable failure;

		private long failedAt;

		synchronized void migrate(String tenantId, TenantMigrator.Target target) throws TenantUnavailableException {
			if (this.done) {
				return;
			}
			Throwable failure = this.failure;
			if (failure != null) {
				long left = RETRY_AFTER.toNanos() - (System.nanoTime() - this.failedAt);
				if (left > 0) {
					throw refused(tenantId, Duration.ofNanos(left), failure);
				}
			}
			long start = System.nanoTime();
			try {
				TenantMigrations.this.migrator.migrate(tenantId, target);
				this.done = true;
				this.failure = null;
				logger.info("Migrated tenant '" + tenantId + "' in " + (System.nanoTime() - start) / 1_000_000 + "ms");
			}
			catch (Exception ex) {
				this.failure = ex;
				this.failedAt = System.nanoTime();
				logger.error("Migration of tenant '" + tenantId + "' failed; its requests are refused for "
						+ RETRY_AFTER.toSeconds() + "s, then it is tried again", ex);
				throw refused(tenantId, RETRY_AFTER, ex);
			}
		}

		private TenantUnavailableException refused(String tenantId, Duration retryAfter, Throwable cause) {
			return new TenantUnavailableException("Tenant '" + tenantId + "' is unavailable: its migration failed ("
					+ cause.getClass().getSimpleName() + "); retried in " + Math.max(1, retryAfter.toSeconds()) + "s",
					retryAfter, cause);
		}

	}

}
