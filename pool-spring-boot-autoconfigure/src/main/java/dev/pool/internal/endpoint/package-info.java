/**
 * The {@code pools} actuator endpoint and its diagnosis.
 */
@NullMarked
package dev.pool.internal.endpoint;

import org.jspecify.annotations.NullMarked;
