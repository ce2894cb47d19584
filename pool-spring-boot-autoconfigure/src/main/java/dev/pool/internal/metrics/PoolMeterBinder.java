package dev.pool.internal.metrics;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.pool.internal.replica.ReplicaSet;
import dev.pool.internal.replica.ReplicaState;
import dev.pool.internal.routing.RoutingCounts;
import dev.pool.internal.routing.RoutingReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes the starter's meters and connects every pool to HikariCP's own Micrometer
 * tracker ({@code hikaricp.connections*}, tag {@code pool}).
 */
public final class PoolMeterBinder implements MeterBinder {

	// Summed over the pool tag, availability gives the number of replicas serving reads.
	private static final String REPLICAS = "replicas";

	private final PoolMetricsTrackerFactory trackers;

	private final RoutingCounts routing;

	private final List<ReplicaState> replicas;

	private final List<String> pools;

	/**
	 * Creates the binder.
	 * @param trackers the tracker factory every pool reports to
	 * @param routing the routing counters
	 * @param replicas the replicas whose availability and lag to publish
	 * @param pools every pool started with the application (routed ones and extra
	 * datasources), whose exhaustion to count
	 */
	public PoolMeterBinder(PoolMetricsTrackerFactory trackers, RoutingCounts routing, ReplicaSet replicas,
			List<String> pools) {
		this.trackers = trackers;
		this.routing = routing;
		this.replicas = replicas.states();
		this.pools = List.copyOf(pools);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.trackers.attach(new MicrometerMetricsTrackerFactory(registry));
		for (String pool : this.routing.pools()) {
			for (RoutingReason reason : RoutingReason.values()) {
				FunctionCounter.builder("pool.routing.decisions", this.routing.counter(pool, reason), LongAdder::sum)
					.description("Connections routed to a pool, by target pool and reason")
					.baseUnit(BaseUnits.CONNECTIONS)
					.tag("target", pool)
					.tag("reason", reason.tag())
					.register(registry);
			}
		}
		for (String pool : this.pools) {
			FunctionCounter.builder("pool.exhausted", this.trackers.timeoutCounter(pool), LongAdder::sum)
				.description("Connection acquisitions that timed out because the pool had no connection to give")
				.baseUnit(BaseUnits.OPERATIONS)
				.tag("pool", pool)
				.register(registry);
		}
		for (ReplicaState replica : this.replicas) {
			Gauge.builder("pool.replica.available", replica, (state) -> state.isAvailable() ? 1 : 0)
				.description("Whether the replica receives reads (1) or is ejected or lagging (0)")
				.baseUnit(REPLICAS)
				.tag("pool", replica.name())
				.register(registry);
			TimeGauge.builder("pool.replica.lag", replica, TimeUnit.SECONDS, ReplicaState::lagSeconds)
				.description("Replication replay lag of the replica; NaN while unknown")
				.tag("pool", replica.name())
				.register(registry);
		}
	}

}
