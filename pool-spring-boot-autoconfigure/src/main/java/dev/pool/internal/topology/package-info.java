/**
 * The read model: one immutable snapshot of the primary, the replicas and their states
 * ({@link dev.pool.internal.topology.Topology}), swapped whole by its only writer
 * ({@link dev.pool.internal.topology.LiveTopology}), which routing reads once per borrow
 * and health, the pools endpoint and the meters render.
 */
@NullMarked
package dev.pool.internal.topology;

import org.jspecify.annotations.NullMarked;
