/**
 * A deliberately slow endpoint to show pool exhaustion answered as 503.
 */
@NullMarked
package dev.pool.sample.demo;

import org.jspecify.annotations.NullMarked;
