/**
 * What the starter knows about each replica (up, lagging, ejected) and the periodic
 * checks that keep it current.
 */
@NullMarked
package dev.pool.internal.replica;

import org.jspecify.annotations.NullMarked;
