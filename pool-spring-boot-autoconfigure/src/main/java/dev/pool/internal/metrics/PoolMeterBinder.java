package dev.pool.internal.metrics;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.pool.internal.credentials.LiveCredentials;
import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.datasource.PoolRole;
import dev.pool.internal.datasource.PoolTrackers;
import dev.pool.internal.routing.RoutingCounts;
import dev.pool.internal.routing.RoutingReason;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.internal.topology.PoolShare;
import dev.pool.internal.topology.ReplicaNode;
import dev.pool.internal.topology.Topology;
import dev.pool.internal.topology.TopologyListener;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes the starter's meters and connects every pool to HikariCP's own Micrometer
 * tracker ({@code hikaricp.connections*}, tag {@code pool}). Follows the topology: a node
 * that joins gets its meters, one that leaves has them removed (HikariCP's go when its
 * pool closes), so no series outlives its pool.
 */
public final class PoolMeterBinder implements MeterBinder, TopologyListener {

	// Summed over the pool tag, availability gives the number of replicas serving reads.
	private static final String REPLICAS = "replicas";

	private final LiveTopology topology;

	private final PoolTrackers trackers;

	private final RoutingCounts routing;

	private final List<ManagedPool> extras;

	private final Sizing sizing;

	// The meters registered for each pool, per registry; guarded by this.
	private final Map<MeterRegistry, Map<ManagedPool, List<Meter>>> meters = new IdentityHashMap<>();

	private boolean listening;

	/**
	 * Creates the binder.
	 * @param topology the routed pools, as they change
	 * @param trackers the tracker factory every pool reports to
	 * @param routing the routing counters
	 * @param extras the extra datasources' pools, whose exhaustion to count
	 * @param sizing how the routed pools are sized, which decides the figures to publish
	 */
	public PoolMeterBinder(LiveTopology topology, PoolTrackers trackers, RoutingCounts routing,
			List<ManagedPool> extras, Sizing sizing) {
		this.topology = topology;
		this.trackers = trackers;
		this.routing = routing;
		this.extras = List.copyOf(extras);
		this.sizing = sizing;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.trackers.attach(new MicrometerMetricsTrackerFactory(registry));
		synchronized (this) {
			Map<ManagedPool, List<Meter>> bound = this.meters.computeIfAbsent(registry,
					(key) -> new IdentityHashMap<>());
			this.extras.forEach((pool) -> bound.put(pool, register(registry, pool)));
			if (!this.listening) {
				this.listening = true;
				this.topology.listen(this);
			}
		}
		follow(this.topology.current());
	}

	@Override
	public void changed(Topology before, Topology after) {
		if (!before.pools().equals(after.pools())) {
			follow(after);
		}
	}

	// Removes first, then adds: a pool that took a leaving one's name (the primary after
	// a failover) registers its series after the old ones are gone.
	private synchronized void follow(Topology topology) {
		List<ManagedPool> routed = topology.pools();
		this.meters.forEach((registry, bound) -> {
			bound.entrySet().removeIf((entry) -> {
				ManagedPool pool = entry.getKey();
				if (pool.role() == PoolRole.EXTRA || routed.contains(pool)) {
					return false;
				}
				entry.getValue().forEach(registry::remove);
				return true;
			});
			for (ManagedPool pool : routed) {
				bound.computeIfAbsent(pool, (key) -> register(registry, key));
			}
		});
	}

	private List<Meter> register(MeterRegistry registry, ManagedPool pool) {
		List<Meter> meters = new ArrayList<>();
		if (pool.role() != PoolRole.EXTRA) {
			for (RoutingReason reason : RoutingReason.values()) {
				meters.add(FunctionCounter
					.builder("pool.routing.decisions", this.routing.counter(pool, reason), LongAdder::sum)
					.description("Connections routed to a pool, by target pool and reason")
					.baseUnit(BaseUnits.CONNECTIONS)
					.tag("target", pool.name())
					.tag("reason", reason.tag())
					.register(registry));
			}
		}
		if (pool.credentials().source().rotates()) {
			meters.add(FunctionCounter
				.builder("pool.credentials.rotations", pool.credentials(), LiveCredentials::rotations)
				.description("Times the pool's login (from files or a PoolCredentials bean) changed and its "
						+ "connections of the old login were retired")
				.baseUnit(BaseUnits.OPERATIONS)
				.tag("pool", pool.name())
				.register(registry));
		}
		LongAdder timeouts = this.trackers.timeoutCounter(pool.name());
		if (timeouts != null) {
			meters.add(FunctionCounter.builder("pool.exhausted", timeouts, LongAdder::sum)
				.description("Connection acquisitions that timed out because the pool had no connection to give")
				.baseUnit(BaseUnits.OPERATIONS)
				.tag("pool", pool.name())
				.register(registry));
		}
		if (pool.role() == PoolRole.REPLICA) {
			meters.add(Gauge.builder("pool.replica.available", this.topology, (topology) -> {
				ReplicaNode node = topology.current().replica(pool);
				return (node == null) ? Double.NaN : node.isAvailable() ? 1 : 0;
			})
				.description("Whether the replica receives reads (1) or is ejected, lagging or joining (0)")
				.baseUnit(REPLICAS)
				.tag("pool", pool.name())
				.register(registry));
			meters.add(TimeGauge.builder("pool.replica.lag", this.topology, TimeUnit.SECONDS, (topology) -> {
				ReplicaNode node = topology.current().replica(pool);
				return (node == null) ? Double.NaN : node.lagSeconds();
			})
				.description("Replication replay lag of the replica; NaN while unknown")
				.tag("pool", pool.name())
				.register(registry));
		}
		if (this.sizing != Sizing.FIXED && pool.role() != PoolRole.EXTRA)

		{
			meters.add(Gauge
				.builder("pool.size.target", this.topology,
						(topology) -> shareOf(topology, pool, (share) -> share.liveMaximum()))
				.description("The pool's live maximum: what its load asks for, within its fleet share")
				.baseUnit(BaseUnits.CONNECTIONS)
				.tag("pool", pool.name())
				.register(registry));
		}
		if (this.sizing == Sizing.FLEET && pool.role() != PoolRole.EXTRA) {
			meters.add(Gauge
				.builder("pool.fleet.instances", this.topology,
						(topology) -> shareOf(topology, pool,
								(share) -> share.inFleet() ? share.instances() : Double.NaN))
				.description("Instances of this service seen on the pool's node")
				.baseUnit("instances")
				.tag("pool", pool.name())
				.register(registry));
			meters
				.add(Gauge
					.builder("pool.fleet.budget", this.topology,
							(topology) -> shareOf(topology, pool,
									(share) -> share.inFleet() ? share.budget() : Double.NaN))
					.description("This service's connections on the pool's node, all instances together")
					.baseUnit(BaseUnits.CONNECTIONS)
					.tag("pool", pool.name())
					.register(registry));
			meters.add(FunctionCounter
				.builder("pool.fleet.refused", this.topology,
						(topology) -> shareOf(topology, pool, (share) -> share.refused().sum()))
				.description("Connection attempts the server refused for too many connections (53300, 53400)")
				.baseUnit(BaseUnits.OPERATIONS)
				.tag("pool", pool.name())
				.register(registry));
		}
		return meters;

	}

	/** How the routed pools are sized. */
	public enum Sizing {

		/** By their configured maximum-pool-size: no sizing meters. */
		FIXED,

		/** By their load: {@code pool.size.target}. */
		ADAPTIVE,

		/**
		 * Within a fleet budget: {@code pool.size.target} and the {@code pool.fleet.*}
		 * meters.
		 */
		FLEET

	}

	private static double shareOf(LiveTopology topology, ManagedPool pool,
			java.util.function.ToDoubleFunction<PoolShare> value) {
		PoolShare share = topology.current().share(pool);
		return (share != null) ? value.applyAsDouble(share) : Double.NaN;
	}

}
