/**
 * Accounts, deposits and transfers: writes on the primary, reads on a replica.
 */
@NullMarked
package dev.pool.sample.accounts;

import org.jspecify.annotations.NullMarked;
