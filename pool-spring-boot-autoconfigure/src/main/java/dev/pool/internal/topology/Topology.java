package dev.pool.internal.topology;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import dev.pool.internal.datasource.ManagedPool;
import org.jspecify.annotations.Nullable;

/**
 * The nodes the router knows at one moment: the primary, the replicas and their states,
 * where they came from, and a version that grows with every change. Immutable: a change
 * makes a new snapshot that {@link LiveTopology} publishes whole, so routing reads one
 * volatile field per borrow and health, {@code /actuator/pools} and the meters render one
 * consistent view instead of reading fields one by one.
 */
public final class Topology {

	private static final ReplicaNode[] NONE = {};

	private final long version;

	private final PrimaryNode primary;

	private final List<ReplicaNode> replicas;

	// Derived once per snapshot: the replicas reads may use now. Shared: never modified.
	private final ReplicaNode[] readable;

	private final SourceState source;

	private final boolean dynamic;

	// The pools' sizes and shares, for the pools of this snapshot only.
	private final Map<ManagedPool, PoolShare> shares;

	Topology(long version, PrimaryNode primary, List<ReplicaNode> replicas, SourceState source, boolean dynamic) {
		this(version, primary, replicas, source, dynamic, Map.of());
	}

	private Topology(long version, PrimaryNode primary, List<ReplicaNode> replicas, SourceState source, boolean dynamic,
			Map<ManagedPool, PoolShare> shares) {
		this.version = version;
		this.primary = primary;
		this.replicas = List.copyOf(replicas);
		List<ReplicaNode> readable = new ArrayList<>(replicas.size());
		for (ReplicaNode replica : replicas) {
			if (replica.isAvailable()) {
				readable.add(replica);
			}
		}
		this.readable = readable.isEmpty() ? NONE : readable.toArray(ReplicaNode[]::new);
		this.source = source;
		this.dynamic = dynamic;
		Map<ManagedPool, PoolShare> kept = new IdentityHashMap<>();
		shares.forEach((pool, share) -> {
			if (primary.pool() == pool || replicas.stream().anyMatch((replica) -> replica.pool() == pool)) {
				kept.put(pool, share);
			}
		});
		this.shares = Collections.unmodifiableMap(kept);
	}

	/**
	 * The snapshot's version: 1 at startup, one more with every change.
	 * @return the version
	 */
	public long version() {
		return this.version;
	}

	/**
	 * The primary.
	 * @return the primary node
	 */
	public PrimaryNode primary() {
		return this.primary;
	}

	/**
	 * Every replica, whatever its state, in the order they were configured or discovered.
	 * @return the replicas, empty when there are none
	 */
	public List<ReplicaNode> replicas() {
		return this.replicas;
	}

	/**
	 * The replicas that may serve reads now: admitted, up and not lagging. The array is
	 * shared and must not be modified.
	 * @return the readable replicas, possibly empty
	 */
	public ReplicaNode[] readable() {
		return this.readable;
	}

	/**
	 * Where the nodes come from and how its last read went.
	 * @return the source's state
	 */
	public SourceState source() {
		return this.source;
	}

	/**
	 * Whether nodes may appear, leave or change role at runtime (a topology source other
	 * than the static one).
	 * @return true for a discovered topology
	 */
	public boolean isDynamic() {
		return this.dynamic;
	}

	/**
	 * How big a pool may be now, and why.
	 * @param pool one of this snapshot's pools
	 * @return its share, or {@code null} when its size is fixed (no fleet budget, no
	 * adaptive sizing)
	 */
	public @Nullable PoolShare share(ManagedPool pool) {
		return this.shares.get(pool);
	}

	/**
	 * A replica by name.
	 * @param name the replica's name
	 * @return the node, or {@code null} when there is none of that name
	 */
	public @Nullable ReplicaNode replica(String name) {
		for (ReplicaNode replica : this.replicas) {
			if (replica.name().equals(name)) {
				return replica;
			}
		}
		return null;
	}

	/**
	 * The replica served by a pool.
	 * @param pool a pool
	 * @return its node, or {@code null} when the pool is not one of these replicas
	 */
	public @Nullable ReplicaNode replica(ManagedPool pool) {
		for (ReplicaNode replica : this.replicas) {
			if (replica.pool() == pool) {
				return replica;
			}
		}
		return null;
	}

	/**
	 * The pools the router borrows from: the primary's, then each replica's.
	 * @return the pools
	 */
	public List<ManagedPool> pools() {
		List<ManagedPool> pools = new ArrayList<>(this.replicas.size() + 1);
		pools.add(this.primary.pool());
		this.replicas.forEach((replica) -> pools.add(replica.pool()));
		return pools;
	}

	/**
	 * The replicas and their states in one line, for messages.
	 * @return for example {@code replica-1 DOWN, replica-2 LAGGING}, or {@code none}
	 */
	public String describeReplicas() {
		if (this.replicas.isEmpty()) {
			return "none";
		}
		List<String> parts = new ArrayList<>();
		for (ReplicaNode replica : this.replicas) {
			parts.add(replica.name() + " " + replica.status());
		}
		return String.join(", ", parts);
	}

	Topology next(PrimaryNode primary, List<ReplicaNode> replicas, SourceState source) {
		return new Topology(this.version + 1, primary, replicas, source, this.dynamic, this.shares);
	}

	Topology withShare(ManagedPool pool, PoolShare share) {
		Map<ManagedPool, PoolShare> shares = new IdentityHashMap<>(this.shares);
		shares.put(pool, share);
		return new Topology(this.version + 1, this.primary, this.replicas, this.source, this.dynamic, shares);
	}

	Topology withReplicas(UnaryOperator<List<ReplicaNode>> change) {
		return next(this.primary, change.apply(new ArrayList<>(this.replicas)), this.source);
	}

	@Override
	public String toString() {
		return "Topology[version=" + this.version + ", primary=" + this.primary.pool().name() + ", replicas="
				+ describeReplicas() + ", source=" + this.source.kind() + "]";
	}

}
