/**
 * The application's {@code DataSource}: connections that choose the primary or a replica
 * at their first statement, the {@code @ReadOnly} scope, load balancing and routing
 * counts.
 */
@NullMarked
package dev.pool.internal.routing;

import org.jspecify.annotations.NullMarked;
