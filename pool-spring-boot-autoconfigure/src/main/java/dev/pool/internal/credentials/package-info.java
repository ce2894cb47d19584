/**
 * Where each pool's login comes from (literal settings, secret files, a
 * {@link dev.pool.PoolCredentials} bean), read again when a connection opens and every
 * refresh interval; on a change new connections log in with the new login at once and the
 * connections opened with the old one are retired gradually.
 */
@NullMarked
package dev.pool.internal.credentials;

import org.jspecify.annotations.NullMarked;
