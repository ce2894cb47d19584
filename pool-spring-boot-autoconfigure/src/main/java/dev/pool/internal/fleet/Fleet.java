package dev.pool.internal.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;

import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.internal.topology.Topology;
import dev.pool.internal.topology.TopologyListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Sizes every routed pool of the topology on one thread of its own: with a fleet budget,
 * each pool's instance holds slots on the pool's node and the pool never opens more
 * connections than that allows (see {@link FleetMember}); with adaptive sizing, each
 * pool's live maximum follows its load. Follows the topology: a pool that joins gets a
 * member, one that leaves gives its slots back once it has closed.
 */
public final class Fleet implements SmartLifecycle, TopologyListener, AutoCloseable {

	private static final Log logger = LogFactory.getLog(Fleet.class);

	/**
	 * How often each pool's load is looked at: a waiting thread is seen within it (a look
	 * is a few reads of HikariCP's counters).
	 */
	static final Duration TICK = Duration.ofMillis(50);

	private volatile @Nullable LiveTopology topology;

	private final FleetMember.@Nullable Budget budget;

	private final @Nullable String instance;

	private final String application;

	private final boolean adaptive;

	private final Duration refreshInterval;

	private static final long NUDGE_TERMINATION_MILLIS = 1_000;

	private final SimpleAsyncTaskExecutor nudges = new SimpleAsyncTaskExecutor("pool-fleet-nudge-");

	// Touched on the fleet thread only, once started.
	private final Map<ManagedPool, FleetMember> members = new IdentityHashMap<>();

	private final List<FleetMember> leaving = new ArrayList<>();

	private volatile @Nullable ThreadPoolTaskScheduler scheduler;

	private final List<ScheduledFuture<?>> tasks = new ArrayList<>();

	private boolean listening;

	private volatile boolean running;

	/**
	 * Creates the fleet; {@link #settle(LiveTopology)} binds it to the pools.
	 * @param maxConnections the budget per node, {@code null} for the login role's
	 * connection limit; unused without a fleet budget
	 * @param reserve the connections of the budget kept for probes and operators
	 * @param instance this instance's id, {@code null} without a fleet budget
	 * @param application the service's application name
	 * @param adaptive whether the live maximum follows the load
	 * @param refreshInterval how often the fleet is counted
	 */
	public Fleet(@Nullable Integer maxConnections, int reserve, @Nullable String instance, String application,
			boolean adaptive, Duration refreshInterval) {
		this.budget = (instance != null) ? new FleetMember.Budget(maxConnections, reserve) : null;
		this.instance = instance;
		this.application = application;
		this.adaptive = adaptive;
		this.refreshInterval = refreshInterval;
		this.nudges.setDaemon(true);
		// No concurrency limit: a resize starts at most one nudge per new connection, and
		// a limit would make the caller wait behind nudges that wait for a connection.
		// Tracked, so the context's close interrupts nudges still waiting.
		this.nudges.setTaskTerminationTimeout(NUDGE_TERMINATION_MILLIS);
	}

	/**
	 * The first settlement, as soon as the pools exist and before anything borrows from
	 * them: each pool's instance asks for its share and, with a budget, holds slots
	 * before its pool opens more than the fleet session. When the budget is all taken,
	 * waits up to two refresh intervals for the other instances to give back what the new
	 * share asks of them.
	 * @param topology the pools to size
	 * @throws RuntimeException when the primary, configured to fail fast, cannot be
	 * reached
	 */
	public void settle(LiveTopology topology) {
		this.topology = topology;
		if (!this.listening) {
			this.listening = true;
			topology.listen(this);
		}
		ThreadPoolTaskScheduler scheduler = scheduler();
		long deadline = System.nanoTime() + this.refreshInterval.multipliedBy(2).toNanos();
		RuntimeException failure = null;
		try {
			// Returned rather than thrown: the scheduler would log it as unexpected.
			failure = scheduler.submit(() -> {
				try {
					follow(topology.current(), deadline);
					return null;
				}
				catch (RuntimeException ex) {
					return ex;
				}
			}).get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			logger.warn("The first fleet settlement failed: " + ex.getCause(), ex.getCause());
		}
		if (failure != null) {
			stop();
			throw failure;
		}
		// From now on, not from the lifecycle's start: migrations and JPA borrow during
		// startup, and a pool they make wait must be able to grow.
		this.tasks.add(scheduler.scheduleWithFixedDelay(this::tick, TICK));
		this.tasks.add(scheduler.scheduleWithFixedDelay(this::refresh, this.refreshInterval));
		this.running = true;
	}

	/**
	 * Whether the pools share a fleet budget, rather than only following their load.
	 * @return whether {@code app.datasource.fleet.max-connections} is set
	 */
	public boolean hasBudget() {
		return this.budget != null;
	}

	@Override
	public void start() {
		LiveTopology topology = this.topology;
		// Settled when the topology was created; settled again when started after a stop.
		if (topology != null && !this.running) {
			settle(topology);
		}
	}

	private ThreadPoolTaskScheduler scheduler() {
		ThreadPoolTaskScheduler scheduler = this.scheduler;
		if (scheduler == null) {
			scheduler = new ThreadPoolTaskScheduler();
			scheduler.setThreadNamePrefix("pool-fleet-");
			scheduler.setDaemon(true);
			scheduler.setPoolSize(1);
			scheduler.initialize();
			this.scheduler = scheduler;
		}
		return scheduler;
	}

	@Override
	public void changed(Topology before, Topology after) {
		if (!before.pools().equals(after.pools())) {
			ThreadPoolTaskScheduler scheduler = this.scheduler;
			if (scheduler != null) {
				scheduler.execute(() -> follow(after, System.nanoTime()));
			}
		}
	}

	// A member per routed pool; a pool that left keeps its slots until it has closed. A
	// new member waits for its first slots until the deadline.
	private void follow(Topology topology, long deadline) {
		LiveTopology live = this.topology;
		if (live == null) {
			return;
		}
		List<ManagedPool> pools = topology.pools();
		this.members.entrySet().removeIf((entry) -> {
			if (pools.contains(entry.getKey())) {
				return false;
			}
			this.leaving.add(entry.getValue());
			return true;
		});
		for (ManagedPool pool : pools) {
			if (!this.members.containsKey(pool)) {
				FleetMember member = new FleetMember(pool, live, this.budget, this.instance, this.application,
						this.adaptive, this.refreshInterval, this.nudges);
				this.members.put(pool, member);
				member.start(deadline);
			}
		}
	}

	private void tick() {
		for (FleetMember member : List.copyOf(this.members.values())) {
			member.tick();
		}
		this.leaving.removeIf((member) -> {
			if (!member.pool().dataSource().isClosed()) {
				return false;
			}
			member.close();
			return true;
		});
	}

	private void refresh() {
		for (FleetMember member : List.copyOf(this.members.values())) {
			member.refresh();
		}
	}

	@Override
	public void stop() {
		ThreadPoolTaskScheduler scheduler = this.scheduler;
		this.scheduler = null;
		this.running = false;
		if (scheduler == null) {
			return;
		}
		this.tasks.forEach((task) -> task.cancel(false));
		this.tasks.clear();
		try {
			scheduler.submit(() -> {
				this.members.values().forEach(FleetMember::close);
				this.leaving.forEach(FleetMember::close);
				this.members.clear();
				this.leaving.clear();
			}).get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			logger.debug("Closing the fleet sessions failed: " + ex.getCause());
		}
		scheduler.shutdown();
	}

	/**
	 * Gives every slot back, also when the context failed after the first settlement and
	 * never started.
	 */
	@Override
	public void close() {
		stop();
		this.nudges.close();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	// Stops after the drain has closed the pools, so slots go back last.
	@Override
	public int getPhase() {
		return 0;
	}

}
