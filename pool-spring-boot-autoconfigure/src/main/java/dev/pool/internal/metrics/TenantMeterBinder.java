package dev.pool.internal.metrics;

import dev.pool.internal.tenant.TenantPools;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The tenant pools' meters (mode database): how many are open, opened and closed. Each
 * tenant pool's own {@code hikaricp.*{pool=tenant-<id>}} meters come from HikariCP's
 * tracker and are removed when the pool closes.
 */
public final class TenantMeterBinder implements MeterBinder {

	private static final String POOLS = "pools";

	private final TenantPools tenants;

	/**
	 * Creates the binder.
	 * @param tenants the tenant pools
	 */
	public TenantMeterBinder(TenantPools tenants) {
		this.tenants = tenants;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("pool.tenants.live", this.tenants, TenantPools::live)
			.description("Tenant pools open now")
			.baseUnit(POOLS)
			.register(registry);
		FunctionCounter.builder("pool.tenants.created", this.tenants, TenantPools::created)
			.description("Tenant pools opened since startup")
			.baseUnit(POOLS)
			.register(registry);
		FunctionCounter.builder("pool.tenants.evictions", this.tenants, (tenants) -> tenants.evictions(false))
			.description("Tenant pools closed, by reason: capacity (room for another tenant) or idle")
			.baseUnit(POOLS)
			.tag("reason", "capacity")
			.register(registry);
		FunctionCounter.builder("pool.tenants.evictions", this.tenants, (tenants) -> tenants.evictions(true))
			.description("Tenant pools closed, by reason: capacity (room for another tenant) or idle")
			.baseUnit(POOLS)
			.tag("reason", "idle")
			.register(registry);
	}

}
