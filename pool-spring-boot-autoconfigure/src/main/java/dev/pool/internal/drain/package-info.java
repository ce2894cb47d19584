/**
 * The graceful drain of every pool at shutdown.
 */
@NullMarked
package dev.pool.internal.drain;

import org.jspecify.annotations.NullMarked;
