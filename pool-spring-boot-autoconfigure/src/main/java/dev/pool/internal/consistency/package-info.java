/**
 * Read-your-writes: the WAL position a caller's writes reached, carried as a token, and
 * which replica has replayed it.
 */
@NullMarked
package dev.pool.internal.consistency;

import org.jspecify.annotations.NullMarked;
