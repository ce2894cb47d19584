/**
 * Per-tenant notes: each tenant (the {@code X-Tenant-ID} header) has a database of its
 * own, reached through the same injected {@code DataSource} as the rest of the service.
 */
@NullMarked
package dev.pool.sample.tenants;

import org.jspecify.annotations.NullMarked;
