package dev.pool.internal.discovery;

import dev.pool.TopologySource;
import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.datasource.PoolSettings;
import dev.pool.internal.topology.PrimaryGuard;

/**
 * What a discovered node's pool is made of: its settings (the URL template with the
 * node's address, the primary's credentials and settings, the replica's overrides) and,
 * for a primary, its breaker. Implemented where the properties are.
 */
public interface NodePools {

	/**
	 * The settings of the pool of a node that became the primary.
	 * @param node the node
	 * @return settings for pool {@code primary}, not blocking on the first connection
	 * @throws RuntimeException when the settings are invalid
	 */
	PoolSettings primary(TopologySource.Node node);

	/**
	 * The settings of a discovered replica's pool.
	 * @param node the node
	 * @return settings for a pool named after the node, not blocking on the first
	 * connection
	 * @throws RuntimeException when the settings are invalid
	 */
	PoolSettings replica(TopologySource.Node node);

	/**
	 * A new breaker, closed, for a pool that just became the primary.
	 * @param primary the pool
	 * @return its guard
	 */
	PrimaryGuard guard(ManagedPool primary);

}
