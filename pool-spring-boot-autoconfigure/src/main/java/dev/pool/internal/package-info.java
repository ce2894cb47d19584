/**
 * Implementation of the starter, one package per feature; not API: types here are public
 * only where another package of the starter needs them, and may change in any release.
 */
@NullMarked
package dev.pool.internal;

import org.jspecify.annotations.NullMarked;
