/**
 * Docker Compose: replica services become {@link dev.pool.ReplicaConnectionDetails}.
 */
@NullMarked
package dev.pool.internal.compose;

import org.jspecify.annotations.NullMarked;
