/**
 * Spring MVC: connection refusals and pool exhaustion answered as 503 with
 * {@code Retry-After}.
 */
@NullMarked
package dev.pool.internal.web;

import org.jspecify.annotations.NullMarked;
