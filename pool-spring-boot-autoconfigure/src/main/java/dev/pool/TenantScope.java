package dev.pool;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs work as a tenant outside a web request (jobs, listeners, tests): while the work
 * runs, the application's {@code DataSource} hands out the tenant's connections. Web
 * requests get their tenant from the request instead.
 */
public interface TenantScope {

	/**
	 * Runs work as a tenant; scopes nest, and the previous tenant (or none) is back
	 * afterwards.
	 * @param tenantId the tenant
	 * @param work the work
	 * @throws InvalidTenantIdException when the id does not match the id pattern
	 * @throws UnknownTenantException when the tenant does not exist
	 */
	void run(String tenantId, Runnable work);

	/**
	 * Runs work as a tenant and returns its result; scopes nest.
	 * @param <T> the result type
	 * @param tenantId the tenant
	 * @param work the work
	 * @return what the work returned
	 * @throws InvalidTenantIdException when the id does not match the id pattern
	 * @throws UnknownTenantException when the tenant does not exist
	 */
	<T> T call(String tenantId, Supplier<T> work);

	/**
	 * The tenant in scope on this thread.
	 * @return the tenant id, empty outside any tenant scope
	 */
	Optional<String> current();

}
