package dev.pool.consistency;

import java.time.Duration;

import dev.pool.internal.consistency.ConsistencyToken;

/**
 * A primary and two replicas that apply writes late, as the read-your-writes suite sees
 * them, whatever the database: which node answered a read, and a replica's delay.
 */
interface DelayedDatabase {

	/**
	 * What {@link NotesApp}'s node query answers on the primary.
	 * @return {@code false:<port>}
	 */
	String primary();

	/**
	 * What {@link NotesApp}'s node query answers on a replica.
	 * @param index 1 or 2
	 * @return {@code true:<port>}
	 */
	String replica(int index);

	/**
	 * Sets how late a replica applies writes.
	 * @param index 1 or 2
	 * @param delay the delay, zero for none
	 */
	void delay(int index, Duration delay);

	/**
	 * How late the replicas apply writes unless a test changes it.
	 * @return the delay
	 */
	Duration delay();

	/**
	 * What the database's tokens count.
	 * @return the flavour
	 */
	ConsistencyToken.Flavour flavour();

}
