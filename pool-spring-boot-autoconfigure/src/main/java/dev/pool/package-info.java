/**
 * The starter's public API: {@link dev.pool.ReadOnly}, the load-balancing strategies and
 * the exceptions an application may catch or map. Everything under
 * {@code dev.pool.internal} is implementation and may change in any release.
 */
@NullMarked
package dev.pool;

import org.jspecify.annotations.NullMarked;
