/**
 * The HikariCP pools: their validated settings, starting and closing them, live counts.
 */
@NullMarked
package dev.pool.internal.datasource;

import org.jspecify.annotations.NullMarked;
