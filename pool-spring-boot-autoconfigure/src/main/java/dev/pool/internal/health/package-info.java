/**
 * The {@code db} health contributor: status from the primary alone, every pool in the
 * details.
 */
@NullMarked
package dev.pool.internal.health;

import org.jspecify.annotations.NullMarked;
