package dev.pool.internal.topology;

/**
 * Told of every new {@link Topology}, in version order, on the thread that changed it and
 * while no other change can happen: it must be quick, must not block on I/O and must not
 * change the topology itself.
 */
@FunctionalInterface
public interface TopologyListener {

	/**
	 * The topology changed.
	 * @param before the previous snapshot
	 * @param after the new snapshot, already visible to routing
	 */
	void changed(Topology before, Topology after);

}
