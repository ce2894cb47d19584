package dev.pool;

/**
 * Strategies for choosing a replica.
 */
public enum LoadBalancing {

	/**
	 * Each read takes the next replica in turn.
	 */
	ROUND_ROBIN,

	/**
	 * Each read takes a replica at random.
	 */
	RANDOM,

	/**
	 * Each read takes the replica with the fewest connections in use.
	 */
	LEAST_CONNECTIONS

}
