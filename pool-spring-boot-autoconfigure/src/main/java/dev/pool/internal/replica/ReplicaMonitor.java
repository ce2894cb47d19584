package dev.pool.internal.replica;

import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.probe.NodeProbe;
import dev.pool.internal.probe.NodeProbes;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.internal.topology.ReplicaNode;
import dev.pool.internal.topology.Topology;
import dev.pool.internal.topology.TopologyListener;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Validates every replica of the topology and measures its replay lag every
 * {@code health-check-interval}, on its own connection; failing replicas are ejected from
 * read routing, passing ones re-admitted (or admitted, when they just joined), lagging
 * ones excluded until they catch up. Follows the topology: a replica that joins is
 * checked at once, one that leaves is no longer checked.
 */
public final class ReplicaMonitor implements SmartLifecycle, TopologyListener {

	private final LiveTopology topology;

	private final ReplicaSet replicas;

	private final Duration interval;

	private final double maxLagSeconds;

	private final NodeProbes probes;

	// Guarded by this.
	private final Map<ManagedPool, Check> checks = new IdentityHashMap<>();

	private volatile @Nullable ScheduledThreadPoolExecutor executor;

	private boolean listening;

	/**
	 * Creates a monitor; checks start with the application context.
	 * @param topology the replicas to check
	 * @param replicas where the checks' outcomes go
	 * @param interval time between the end of one check and the start of the next
	 * @param maxReplicaLag lag above which a replica is excluded, zero to disable
	 * @param probes where the checks run
	 */
	public ReplicaMonitor(LiveTopology topology, ReplicaSet replicas, Duration interval, Duration maxReplicaLag,
			NodeProbes probes) {
		this.probes = probes;
		this.topology = topology;
		this.replicas = replicas;
		this.interval = interval;
		this.maxLagSeconds = maxReplicaLag.toMillis() / 1000.0;
	}

	@Override
	public void start() {
		synchronized (this) {
			if (this.executor != null) {
				return;
			}
			CustomizableThreadFactory threads = new CustomizableThreadFactory("pool-replica-check-");
			threads.setDaemon(true);
			ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, threads);
			executor.setRemoveOnCancelPolicy(true);
			this.executor = executor;
			if (!this.listening) {
				this.listening = true;
				this.topology.listen(this);
			}
		}
		follow(this.topology.current());
	}

	@Override
	public void changed(Topology before, Topology after) {
		if (!pools(before).equals(pools(after))) {
			follow(after);
		}
	}

	private static Set<ManagedPool> pools(Topology topology) {
		return topology.replicas()
			.stream()
			.map(ReplicaNode::pool)
			.collect(Collectors.toCollection(() -> Collections.newSetFromMap(new IdentityHashMap<>())));
	}

	// A check per replica, and a thread per replica: a slow check of one node must not
	// delay the others (each is bounded by validation-timeout).
	private synchronized void follow(Topology topology) {
		ScheduledThreadPoolExecutor executor = this.executor;
		if (executor == null) {
			return;
		}
		Set<ManagedPool> current = pools(topology);
		this.checks.entrySet().removeIf((entry) -> {
			if (current.contains(entry.getKey())) {
				return false;
			}
			entry.getValue().cancel();
			return true;
		});
		for (ManagedPool replica : current) {
			if (!this.checks.containsKey(replica)) {
				NodeProbe probe = this.probes.probe(replica.settings());
				ScheduledFuture<?> task = executor.scheduleWithFixedDelay(() -> check(replica, probe), 0,
						this.interval.toMillis(), TimeUnit.MILLISECONDS);
				this.checks.put(replica, new Check(probe, task));
			}
		}
		executor.setCorePoolSize(Math.max(1, current.size()));
	}

	private void check(ManagedPool replica, NodeProbe probe) {
		NodeProbe.Result result = probe.check(true);
		// Stopped mid-check (shutdown interrupts the probe): the failure says nothing
		// about the replica.
		if (Thread.currentThread().isInterrupted() || this.executor == null) {
			return;
		}
		this.replicas.checked(replica, result, this.maxLagSeconds);
	}

	@Override
	public void stop() {
		synchronized (this) {
			ScheduledThreadPoolExecutor executor = this.executor;
			if (executor != null) {
				executor.shutdownNow();
				this.executor = null;
			}
			this.checks.values().forEach(Check::cancel);
			this.checks.clear();
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

	private record Check(NodeProbe probe, ScheduledFuture<?> task) {

		void cancel() {
			this.task.cancel(true);
			this.probe.close();
		}

	}

}
