package dev.pool.internal.probe;

import dev.pool.internal.datasource.PoolSettings;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Where every {@link NodeProbe} of an application runs its checks: a pool of named daemon
 * threads ({@code pool-probe-N}), shut down with the application context. A check stuck
 * in a driver keeps its thread, and its probe starts no other until it returns, so at
 * most one thread per probe is ever busy; the pool's bound only caps the sum.
 */
public final class NodeProbes implements AutoCloseable {

	// Far above the probes an application has (one per node, plus the health check's
	// and the endpoint's): reaching it means checks are stuck on many nodes at once.
	private static final int MAX_THREADS = 64;

	private final ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();

	/** Creates the threads' pool; threads start with the first check. */
	public NodeProbes() {
		this.executor.setThreadNamePrefix("pool-probe-");
		this.executor.setDaemon(true);
		this.executor.setCorePoolSize(MAX_THREADS);
		this.executor.setMaxPoolSize(MAX_THREADS);
		this.executor.setAllowCoreThreadTimeOut(true);
		this.executor.setKeepAliveSeconds(30);
		// A check never waits behind another: no queue, a thread or a refusal.
		this.executor.setQueueCapacity(0);
		// Shut down interrupts checks in flight; nothing waits for them.
		this.executor.setWaitForTasksToCompleteOnShutdown(false);
		this.executor.initialize();
	}

	/**
	 * A probe for one pool's node, checking on these threads.
	 * @param settings the pool, with its credentials and validation timeout
	 * @return the probe; close it when its node is no longer checked
	 */
	public NodeProbe probe(PoolSettings settings) {
		return new NodeProbe(settings, this.executor);
	}

	/** Stops the threads, interrupting checks still in flight. */
	@Override
	public void close() {
		this.executor.shutdown();
	}

}
