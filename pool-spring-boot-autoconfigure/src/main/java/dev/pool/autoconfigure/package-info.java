/**
 * The starter's auto-configuration and its {@code app.datasource} properties: the wiring
 * of every feature under {@code dev.pool.internal}, and the startup validation of every
 * setting.
 */
@NullMarked
package dev.pool.autoconfigure;

import org.jspecify.annotations.NullMarked;
