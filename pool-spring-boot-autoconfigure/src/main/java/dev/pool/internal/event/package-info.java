/**
 * Publishes the {@link dev.pool.event} application events: each topology change is
 * compared with the one before it, and what differs becomes events, published one at a
 * time on a thread of its own.
 */
@NullMarked
package dev.pool.internal.event;

import org.jspecify.annotations.NullMarked;
