/**
 * The circuit breaker in front of the primary pool.
 */
@NullMarked
package dev.pool.internal.breaker;

import org.jspecify.annotations.NullMarked;
