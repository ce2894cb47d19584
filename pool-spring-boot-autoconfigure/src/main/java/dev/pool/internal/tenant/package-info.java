/**
 * Multi-tenancy: which tenant is in scope ({@code TenantContext}, {@code TenantIds}), the
 * tenant pools of mode database ({@code TenantPools}: opened on first use, bounded, least
 * recently used closed first) and the tenant schemas of mode schema
 * ({@code TenantSchemas}), and their migrations; implements routing's {@code Tenancy}
 * SPI.
 */
@NullMarked
package dev.pool.internal.tenant;

import org.jspecify.annotations.NullMarked;
