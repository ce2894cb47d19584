package dev.pool.metrics;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.pool.datasource.DataSourcePools;
import dev.pool.routing.ReplicaState;
import dev.pool.routing.RoutingCounts;
import dev.pool.routing.RoutingReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes the starter's meters and connects every pool to HikariCP's own Micrometer tracker
 * ({@code hikaricp.connections*}, tag {@code pool}).
 */
public final class PoolMeterBinder implements MeterBinder {

	private final DataSourcePools pools;

	private final RoutingCounts routing;

	private final List<ReplicaState> replicas;

	public PoolMeterBinder(DataSourcePools pools, RoutingCounts routing, List<ReplicaState> replicas) {
		this.pools = pools;
		this.routing = routing;
		this.replicas = replicas;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.pools.trackers().attach(new MicrometerMetricsTrackerFactory(registry));
		for (String pool : this.routing.pools()) {
			for (RoutingReason reason : RoutingReason.values()) {
				FunctionCounter.builder("pool.routing.decisions", this.routing.counter(pool, reason), LongAdder::sum)
					.description("Connections routed to a pool, by target pool and reason")
					.baseUnit("connections")
					.tag("target", pool)
					.tag("reason", reason.tag())
					.register(registry);
			}
			FunctionCounter.builder("pool.exhausted", this.pools.trackers().timeoutCounter(pool), LongAdder::sum)
				.description("Connection acquisitions that timed out because the pool had no connection to give")
				.baseUnit("acquisitions")
				.tag("pool", pool)
				.register(registry);
		}
		for (ReplicaState replica : this.replicas) {
			Gauge.builder("pool.replica.available", replica, (state) -> state.isAvailable() ? 1 : 0)
				.description("Whether the replica receives reads (1) or is ejected or lagging (0)")
				.baseUnit("replicas")
				.tag("pool", replica.name())
				.register(registry);
			Gauge.builder("pool.replica.lag", replica, ReplicaState::lagSeconds)
				.description("Replication replay lag of the replica; NaN while unknown")
				.baseUnit("seconds")
				.tag("pool", replica.name())
				.register(registry);
		}
	}

}
