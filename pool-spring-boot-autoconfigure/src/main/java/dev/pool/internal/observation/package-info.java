/**
 * The pools in the JDBC instrumentation users already run: the node that served each
 * query added to datasource-micrometer's observations.
 */
@NullMarked
package dev.pool.internal.observation;

import org.jspecify.annotations.NullMarked;
