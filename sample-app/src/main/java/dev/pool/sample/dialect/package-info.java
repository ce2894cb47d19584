/**
 * What the sample says differently to PostgreSQL and MariaDB.
 */
@NullMarked
package dev.pool.sample.dialect;

import org.jspecify.annotations.NullMarked;
