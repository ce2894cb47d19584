/**
 * The sample service: accounts and transfers on the pool starter.
 */
@NullMarked
package dev.pool.sample;

import org.jspecify.annotations.NullMarked;
