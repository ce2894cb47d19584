/**
 * Tells a lost or refused database connection from an error in the SQL.
 */
@NullMarked
package dev.pool.internal.failure;

import org.jspecify.annotations.NullMarked;
