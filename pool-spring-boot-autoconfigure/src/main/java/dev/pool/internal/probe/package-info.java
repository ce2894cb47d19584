/**
 * Checks of one database node over a connection of its own, outside the pools.
 */
@NullMarked
package dev.pool.internal.probe;

import org.jspecify.annotations.NullMarked;
