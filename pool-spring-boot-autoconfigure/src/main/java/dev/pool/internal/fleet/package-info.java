/**
 * A connection budget shared by every instance of a service: each instance holds one
 * PostgreSQL advisory lock per connection it may open (a slot), through a session of its
 * own on each node, so the instances together never hold more slots than the budget;
 * slots are shared out max-min fairly by what each instance asks for, and each pool's
 * live maximum follows the slots its instance holds.
 */
@NullMarked
package dev.pool.internal.fleet;

import org.jspecify.annotations.NullMarked;
