/**
 * Spring application events the starter publishes when its pools' world changes: a
 * replica ejected, re-admitted, added or removed, the primary changed, the primary's
 * circuit breaker changed state, a pool's login rotated, a pool's fleet share or live
 * maximum changed. Listen with {@code @EventListener}; they are published on a thread of
 * the starter's own, one at a time in the order the changes happened, never on a borrow
 * and never while a lock of the starter is held, and a listener that throws is logged and
 * changes nothing.
 */
@NullMarked
package dev.pool.event;

import org.jspecify.annotations.NullMarked;
