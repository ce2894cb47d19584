package dev.pool.routing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.pool.datasource.NodeProbe;

import org.springframework.context.SmartLifecycle;

/**
 * Validates every replica and measures its replay lag every {@code health-check-interval}, on
 * its own connection; failing replicas are ejected from read routing, passing ones re-admitted,
 * lagging ones excluded until they catch up.
 */
public final class ReplicaMonitor implements SmartLifecycle {

	private final RoutingDataSource router;

	private final Map<String, NodeProbe> probes;

	private final Duration interval;

	private final double maxLagSeconds;

	private volatile ScheduledExecutorService executor;

	/**
	 * @param router the router whose replicas are checked
	 * @param probes a probe per replica name
	 * @param interval time between the end of one check and the start of the next
	 * @param maxReplicaLag lag above which a replica is excluded, zero to disable
	 */
	public ReplicaMonitor(RoutingDataSource router, Map<String, NodeProbe> probes, Duration interval,
			Duration maxReplicaLag) {
		this.router = router;
		this.probes = probes;
		this.interval = interval;
		this.maxLagSeconds = maxReplicaLag.toMillis() / 1000.0;
	}

	@Override
	public void start() {
		List<RoutedPool> replicas = this.router.replicas();
		if (replicas.isEmpty() || this.executor != null) {
			return;
		}
		AtomicInteger count = new AtomicInteger();
		// A thread per replica: a check stuck on an unreachable node must not delay the others.
		ScheduledExecutorService executor = Executors.newScheduledThreadPool(replicas.size(), (runnable) -> {
			Thread thread = new Thread(runnable, "pool-replica-check-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		this.executor = executor;
		for (RoutedPool replica : replicas) {
			NodeProbe probe = this.probes.get(replica.name());
			executor.scheduleWithFixedDelay(() -> check(replica, probe), 0, this.interval.toMillis(),
					TimeUnit.MILLISECONDS);
		}
	}

	/** Checks one replica now and records the result. */
	public void check(RoutedPool replica, NodeProbe probe) {
		NodeProbe.Result result = probe.check(this.maxLagSeconds > 0);
		// Stopped mid-check (shutdown interrupts the probe): the failure says nothing about the replica.
		if (Thread.currentThread().isInterrupted() || this.executor == null) {
			return;
		}
		this.router.replicaChecked(replica, result, this.maxLagSeconds);
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.executor;
		if (executor != null) {
			executor.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

}
