package dev.pool.internal.topology;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import javax.sql.DataSource;

import dev.pool.internal.datasource.ManagedPool;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Holds the current {@link Topology} and is its only writer: every change (a replica
 * ejected or checked, a breaker that opens, a node discovered, removed or promoted)
 * builds the next snapshot under one lock and publishes it with one volatile write.
 * Readers never lock: routing reads {@link #current()} once per borrow.
 */
public final class LiveTopology {

	private static final Log logger = LogFactory.getLog(LiveTopology.class);

	private final Object lock = new Object();

	private final List<TopologyListener> listeners = new CopyOnWriteArrayList<>();

	private volatile Topology current;

	/**
	 * Creates the topology at version 1 and starts following the primary's breaker.
	 * @param primary the primary
	 * @param replicas the replicas known at startup
	 * @param source where the nodes come from
	 * @param dynamic whether nodes may change at runtime
	 */
	public LiveTopology(PrimaryNode primary, List<ReplicaNode> replicas, SourceState source, boolean dynamic) {
		this.current = new Topology(1, primary, replicas, source, dynamic);
		follow(primary.guard());
	}

	/**
	 * The current snapshot.
	 * @return the topology, never {@code null}
	 */
	public Topology current() {
		return this.current;
	}

	/**
	 * A DataSource that always borrows from the primary of the moment, the
	 * {@code primaryDataSource} bean of a topology whose source names the primary.
	 * @return a new data source over this topology
	 */
	public DataSource primaryDataSource() {
		return new CurrentPrimaryDataSource(this);
	}

	/**
	 * Tells a listener of every later change.
	 * @param listener the listener
	 */
	public void listen(TopologyListener listener) {
		this.listeners.add(listener);
	}

	/**
	 * Changes one replica.
	 * @param pool the replica's pool
	 * @param change what to make of its node
	 * @return the node before and after, or {@code null} when the pool is not a replica
	 * of this topology (any more) or nothing changed
	 */
	public @Nullable Change updateReplica(ManagedPool pool, UnaryOperator<ReplicaNode> change) {
		synchronized (this.lock) {
			Topology topology = this.current;
			ReplicaNode before = topology.replica(pool);
			if (before == null) {
				return null;
			}
			ReplicaNode after = change.apply(before);
			if (after.equals(before)) {
				return null;
			}
			publish(topology, topology.withReplicas((replicas) -> {
				replicas.set(replicas.indexOf(before), after);
				return replicas;
			}));
			return new Change(before, after);
		}
	}

	/**
	 * Adds a replica the topology source named.
	 * @param node the new node
	 * @throws IllegalStateException when a replica of that name exists
	 */
	public void addReplica(ReplicaNode node) {
		synchronized (this.lock) {
			Topology topology = this.current;
			if (topology.replica(node.name()) != null) {
				throw new IllegalStateException("Replica '" + node.name() + "' exists already");
			}
			publish(topology, topology.withReplicas((replicas) -> {
				replicas.add(node);
				return replicas;
			}));
		}
	}

	/**
	 * Removes a replica: no new read goes to it from now on.
	 * @param name the replica's name
	 * @return its last node, or {@code null} when there is none of that name
	 */
	public @Nullable ReplicaNode removeReplica(String name) {
		synchronized (this.lock) {
			Topology topology = this.current;
			ReplicaNode node = topology.replica(name);
			if (node != null) {
				publish(topology, topology.withReplicas((replicas) -> {
					replicas.remove(node);
					return replicas;
				}));
			}
			return node;
		}
	}

	/**
	 * Makes another pool the primary: every write from now on goes there, through its own
	 * breaker.
	 * @param primary the new primary
	 * @return the previous primary
	 */
	public PrimaryNode replacePrimary(PrimaryNode primary) {
		synchronized (this.lock) {
			Topology topology = this.current;
			publish(topology, topology.next(primary, topology.replicas(), topology.source()));
			follow(primary.guard());
			return topology.primary();
		}
	}

	/**
	 * Records how big a pool may be now and why.
	 * @param pool a pool of the topology
	 * @param share its share
	 */
	public void share(ManagedPool pool, PoolShare share) {
		synchronized (this.lock) {
			Topology topology = this.current;
			if (topology.pools().contains(pool) && !share.equals(topology.share(pool))) {
				publish(topology, topology.withShare(pool, share));
			}
		}
	}

	/**
	 * Records how the topology source's last read went.
	 * @param change what to make of the source's state
	 */
	public void source(UnaryOperator<SourceState> change) {
		synchronized (this.lock) {
			Topology topology = this.current;
			SourceState after = change.apply(topology.source());
			if (!after.equals(topology.source())) {
				publish(topology, topology.next(topology.primary(), topology.replicas(), after));
			}
		}
	}

	private void follow(PrimaryGuard guard) {
		guard.listen((state) -> breakerChanged(guard, state));
	}

	// A retired primary's breaker may still change: only the current one is published.
	private void breakerChanged(PrimaryGuard guard, BreakerState state) {
		synchronized (this.lock) {
			Topology topology = this.current;
			PrimaryNode primary = topology.primary();
			if (primary.guard() == guard && !primary.breaker().equals(state)) {
				publish(topology, topology.next(primary.withBreaker(state), topology.replicas(), topology.source()));
			}
		}
	}

	// Under the lock: listeners see every version once, in order.
	private void publish(Topology before, Topology after) {
		this.current = after;
		for (TopologyListener listener : this.listeners) {
			try {
				listener.changed(before, after);
			}
			catch (RuntimeException ex) {
				logger.warn("A topology listener failed on version " + after.version() + ": " + ex, ex);
			}
		}
	}

	/**
	 * One replica before and after a change.
	 *
	 * @param before the node before
	 * @param after the node after
	 */
	public record Change(ReplicaNode before, ReplicaNode after) {
	}

}
