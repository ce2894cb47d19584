package dev.pool.internal.replica;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.probe.NodeProbe;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Validates every replica and measures its replay lag every
 * {@code health-check-interval}, on its own connection; failing replicas are ejected from
 * read routing, passing ones re-admitted, lagging ones excluded until they catch up.
 */
public final class ReplicaMonitor implements SmartLifecycle {

	private final ReplicaSet replicas;

	private final Duration interval;

	private final double maxLagSeconds;

	private volatile @Nullable ScheduledExecutorService executor;

	private final List<NodeProbe> probes = new CopyOnWriteArrayList<>();

	/**
	 * Creates a monitor; checks start with the application context.
	 * @param replicas the replicas to check and whose states to update
	 * @param interval time between the end of one check and the start of the next
	 * @param maxReplicaLag lag above which a replica is excluded, zero to disable
	 */
	public ReplicaMonitor(ReplicaSet replicas, Duration interval, Duration maxReplicaLag) {
		this.replicas = replicas;
		this.interval = interval;
		this.maxLagSeconds = maxReplicaLag.toMillis() / 1000.0;
	}

	@Override
	public void start() {
		List<ReplicaState> states = this.replicas.states();
		if (states.isEmpty() || this.executor != null) {
			return;
		}
		AtomicInteger count = new AtomicInteger();
		// A thread per replica: a slow check of one node must not delay the others (each
		// is bounded by validation-timeout).
		ScheduledExecutorService executor = Executors.newScheduledThreadPool(states.size(), (runnable) -> {
			Thread thread = new Thread(runnable, "pool-replica-check-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		this.executor = executor;
		for (ReplicaState state : states) {
			ManagedPool replica = state.pool();
			NodeProbe probe = new NodeProbe(replica.settings());
			this.probes.add(probe);
			executor.scheduleWithFixedDelay(() -> check(replica, probe), 0, this.interval.toMillis(),
					TimeUnit.MILLISECONDS);
		}
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
		ScheduledExecutorService executor = this.executor;
		if (executor != null) {
			executor.shutdownNow();
			this.executor = null;
		}
		this.probes.forEach(NodeProbe::close);
		this.probes.clear();
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

}
