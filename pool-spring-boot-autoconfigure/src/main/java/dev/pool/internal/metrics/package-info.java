/**
 * Micrometer meters of every pool: HikariCP's own through its tracker, plus the starter's
 * routing, exhaustion and replica meters.
 */
@NullMarked
package dev.pool.internal.metrics;

import org.jspecify.annotations.NullMarked;
