/**
 * A PostgreSQL primary with streaming replicas as Testcontainers, which
 * {@code @ServiceConnection} wires into {@code app.datasource}.
 */
@NullMarked
package dev.pool.testcontainers;

import org.jspecify.annotations.NullMarked;
