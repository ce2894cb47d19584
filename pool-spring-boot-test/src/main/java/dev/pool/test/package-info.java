/**
 * A real PostgreSQL primary with streaming replicas, started from embedded binaries, for
 * tests and local runs.
 */
@NullMarked
package dev.pool.test;

import org.jspecify.annotations.NullMarked;
