/**
 * A topology read while the application runs: the built-in sources (Patroni's REST API,
 * DNS) and the refresher that follows a source's answers, opening, retiring and promoting
 * pools.
 */
@NullMarked
package dev.pool.internal.discovery;

import org.jspecify.annotations.NullMarked;
