package dev.pool.internal.discovery;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.pool.TopologySource;
import dev.pool.internal.datasource.DataSourcePools;
import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.datasource.PoolEvents;
import dev.pool.internal.datasource.PoolSettings;
import dev.pool.internal.datasource.Waiters;
import dev.pool.internal.failure.ConnectionFailures;
import dev.pool.internal.probe.NodeProbe;
import dev.pool.internal.probe.NodeProbes;
import dev.pool.internal.replica.ReplicaSet;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.internal.topology.PrimaryGuard;
import dev.pool.internal.topology.PrimaryNode;
import dev.pool.internal.topology.ReplicaNode;
import dev.pool.internal.topology.Topology;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Reads a {@link TopologySource} every {@code refresh-interval} (never sooner than the
 * answer's own lower bound, a DNS TTL) and makes the topology follow it, off the request
 * path: a replica that appears gets a pool and joins (it takes reads once its first check
 * passes); one that disappears leaves routing at once, its waiting reads move on, and its
 * pool closes once its borrowed connections are back (at most {@code drain.timeout}); a
 * different primary gets a new pool and a new, closed breaker, the old pool's waiting
 * writes are released and it is retired the same way.
 * <p>
 * While the primary looks unreachable (a refused connection attempt, a connection broken
 * in use, a breaker that is not closed) or the source names no primary, the source is
 * read every 250 ms, so a new leader is followed within a quarter of a second of the
 * source naming it. A source that cannot be read leaves the topology as it last was.
 */
public final class TopologyRefresher implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(TopologyRefresher.class);

	/** The interval while the primary is unreachable. */
	public static final Duration URGENT_INTERVAL = Duration.ofMillis(250);

	private static final Duration CONFIRM_WINDOW = Duration.ofSeconds(2);

	private static final Duration CONFIRM_STEP = Duration.ofMillis(50);

	private final LiveTopology topology;

	private final TopologySource source;

	private final NodePools nodes;

	private final ReplicaSet replicas;

	private final Waiters waiters;

	private final DataSourcePools pools;

	private final Duration interval;

	private final int maxReplicas;

	private final Duration drainTimeout;

	private final NodeProbes probes;

	private final PoolEvents primaryTrouble = new PoolEvents() {

		@Override
		public void connected() {
			TopologyRefresher.this.troubled = false;
		}

		@Override
		public void connectFailed(SQLException failure) {
			if (ConnectionFailures.isConnectionFailure(failure)) {
				trouble();
			}
		}

		@Override
		public void brokenInUse(SQLException failure) {
			trouble();
		}

	};

	private volatile boolean troubled;

	private volatile boolean leaderless;

	private volatile @Nullable ScheduledThreadPoolExecutor executor;

	// Touched only on the refresh thread (and in start/stop, before and after it runs).
	private @Nullable ScheduledFuture<?> next;

	private long nextAtNanos;

	private @Nullable ManagedPool watched;

	private @Nullable String lastFailure;

	private @Nullable String lastUnconfirmed;

	private List<String> lastOverflow = List.of();

	/**
	 * Creates the refresher; it reads the source once the application context starts.
	 * @param topology the topology to keep current, built from the source's first answer
	 * @param source where the nodes come from
	 * @param nodes how a discovered node's pool is made
	 * @param replicas what listens to each replica pool
	 * @param waiters the threads borrowing, released from a pool that leaves
	 * @param pools where pools are opened and retired
	 * @param interval how often the source is read while all is well
	 * @param maxReplicas the most replicas taken from one answer
	 * @param drainTimeout how long a leaving pool's borrowed connections may take to come
	 * back
	 * @param probes where a new leader is asked whether it accepts writes
	 */
	public TopologyRefresher(LiveTopology topology, TopologySource source, NodePools nodes, ReplicaSet replicas,
			Waiters waiters, DataSourcePools pools, Duration interval, int maxReplicas, Duration drainTimeout,
			NodeProbes probes) {
		this.probes = probes;
		this.topology = topology;
		this.source = source;
		this.nodes = nodes;
		this.replicas = replicas;
		this.waiters = waiters;
		this.pools = pools;
		this.interval = interval;
		this.maxReplicas = maxReplicas;
		this.drainTimeout = drainTimeout;
	}

	@Override
	public void start() {
		CustomizableThreadFactory threads = new CustomizableThreadFactory("pool-topology-");
		threads.setDaemon(true);
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, threads);
		executor.setRemoveOnCancelPolicy(true);
		this.executor = executor;
		executor.execute(() -> {
			watch(this.topology.current().primary().pool());
			// The first read at startup set the interval (at least the answer's lower
			// bound).
			long first = Math.max(this.interval.toMillis(), this.topology.current().source().refreshMillis());
			schedule(urgent() ? URGENT_INTERVAL : Duration.ofMillis(first));
		});
	}

	@Override
	public void stop() {
		ScheduledThreadPoolExecutor executor = this.executor;
		this.executor = null;
		if (executor != null) {
			executor.shutdownNow();
			try {
				executor.awaitTermination(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		ManagedPool watched = this.watched;
		if (watched != null) {
			watched.stopListening(this.primaryTrouble);
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

	// Stops before the drain and the pools it opens close.
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 2048 - 1;
	}

	private void trouble() {
		if (this.troubled) {
			return;
		}
		this.troubled = true;
		ScheduledThreadPoolExecutor executor = this.executor;
		if (executor != null) {
			try {
				executor.execute(this::hurry);
			}
			catch (RuntimeException ex) {
				// Shutting down.
			}
		}
	}

	// On the refresh thread: the next read comes now if it was due later than urgent.
	private void hurry() {
		if (this.next != null && this.nextAtNanos - System.nanoTime() > URGENT_INTERVAL.toNanos()) {
			this.next.cancel(false);
			schedule(Duration.ZERO);
		}
	}

	private boolean urgent() {
		return this.troubled || this.leaderless || !"CLOSED".equals(this.topology.current().primary().breaker().state())
				&& !"DISABLED".equals(this.topology.current().primary().breaker().state());
	}

	private void schedule(Duration delay) {
		ScheduledThreadPoolExecutor executor = this.executor;
		if (executor == null || executor.isShutdown()) {
			return;
		}
		this.nextAtNanos = System.nanoTime() + delay.toNanos();
		try {
			this.next = executor.schedule(this::refresh, delay.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RuntimeException ex) {
			// Shutting down.
		}
	}

	/** Reads the source once and follows it; then schedules the next read. */
	void refresh() {
		Duration delay;
		try {
			TopologySource.Nodes answer = this.source.read();
			follow(answer);
			delay = urgent() ? URGENT_INTERVAL : max(this.interval, answer.validFor());
			long refreshMillis = delay.toMillis();
			this.topology.source((state) -> state.answered(refreshMillis));
			if (this.lastFailure != null) {
				logger.info("Topology source answers again (" + this.source.describe() + ")");
				this.lastFailure = null;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		catch (Exception ex) {
			String why = ConnectionFailures.describe(ex);
			delay = urgent() ? URGENT_INTERVAL : this.interval;
			long refreshMillis = delay.toMillis();
			this.topology.source((state) -> state.failed(why, refreshMillis));
			if (this.lastFailure == null) {
				logger.warn("Topology source cannot be read (" + this.source.describe() + "): " + why
						+ "; keeping the last known topology (" + describe(this.topology.current())
						+ ") and trying again every " + refreshMillis + "ms");
			}
			this.lastFailure = why;
		}
		schedule(delay);
	}

	private static Duration max(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

	private void follow(TopologySource.Nodes answer) {
		TopologySource.Node leader = answer.primary();
		if (this.source.namesPrimary()) {
			this.leaderless = (leader == null);
			if (leader != null && !sameNode(this.topology.current().primary(), leader)) {
				promote(leader);
			}
		}
		Map<String, TopologySource.Node> wanted = wanted(answer, leader);
		Topology topology = this.topology.current();
		for (ReplicaNode replica : topology.replicas()) {
			TopologySource.Node node = wanted.get(replica.name());
			if (node == null || !node.address().equals(replica.address())) {
				remove(replica, (node == null) ? "left the topology" : "moved to " + node.address());
			}
			else if (!Objects.equals(node.lagBytes(), replica.sourceLagBytes())) {
				this.topology.updateReplica(replica.pool(), (current) -> current.withSourceLag(node.lagBytes()));
			}
		}
		for (TopologySource.Node node : wanted.values()) {
			if (this.topology.current().replica(node.name()) == null) {
				add(node);
			}
		}
	}

	// The replicas of an answer, the primary left out, at most max-replicas by name.
	private Map<String, TopologySource.Node> wanted(TopologySource.Nodes answer, TopologySource.@Nullable Node leader) {
		List<TopologySource.Node> sorted = new ArrayList<>(answer.replicas());
		String primaryName = (leader != null) ? leader.name() : this.topology.current().primary().member();
		sorted.removeIf((node) -> node.name().equals(primaryName) || node.name().equals(DataSourcePools.PRIMARY));
		sorted.sort(Comparator.comparing(TopologySource.Node::name));
		List<String> overflow = List.of();
		if (sorted.size() > this.maxReplicas) {
			overflow = sorted.subList(this.maxReplicas, sorted.size()).stream().map(TopologySource.Node::name).toList();
			sorted = sorted.subList(0, this.maxReplicas);
		}
		if (!overflow.isEmpty() && !overflow.equals(this.lastOverflow)) {
			logger.warn("Topology source names " + (this.maxReplicas + overflow.size())
					+ " replicas, more than app.datasource.topology.max-replicas (" + this.maxReplicas + "): the first "
					+ this.maxReplicas + " by name take reads, not " + overflow);
		}
		this.lastOverflow = overflow;
		Map<String, TopologySource.Node> wanted = new LinkedHashMap<>();
		sorted.forEach((node) -> wanted.putIfAbsent(node.name(), node));
		return wanted;
	}

	private static boolean sameNode(PrimaryNode primary, TopologySource.Node leader) {
		return leader.name().equals(primary.member()) && leader.address().equals(primary.address());
	}

	private void add(TopologySource.Node node) {
		ManagedPool pool;
		try {
			pool = this.pools.open(this.nodes.replica(node));
		}
		catch (RuntimeException ex) {
			logger.error("Replica '" + node.name() + "' (" + node.address() + ") named by the topology source "
					+ "cannot get a pool: " + ex.getMessage());
			return;
		}
		this.replicas.attach(pool);
		this.topology.addReplica(ReplicaNode.joining(pool, node.address(), node.lagBytes()));
		logger.info("Replica '" + node.name() + "' (" + node.address() + ") joined the topology ("
				+ this.source.describe() + "); it takes reads once its first check passes");
	}

	private void remove(ReplicaNode replica, String why) {
		if (this.topology.removeReplica(replica.name()) == null) {
			return;
		}
		int released = this.replicas.released(replica.pool());
		logger.info("Replica '" + replica.name() + "' " + why + " (" + this.source.describe() + "): no new reads"
				+ ((released > 0) ? ", " + released + " waiting reads moved on" : ""));
		this.pools.retire(replica.pool(), this.drainTimeout, "replica " + why);
	}

	private void promote(TopologySource.Node leader) {
		PoolSettings settings;
		try {
			settings = this.nodes.primary(leader);
		}
		catch (RuntimeException ex) {
			logger.error("The new primary '" + leader.name() + "' (" + leader.address() + ") cannot get a pool: "
					+ ex.getMessage() + "; writes stay on the current primary");
			return;
		}
		if (!acceptsWrites(leader, settings)) {
			// Read again at the urgent interval until it does.
			this.leaderless = true;
			return;
		}
		this.lastUnconfirmed = null;
		ManagedPool pool = this.pools.open(settings);
		PrimaryGuard guard = this.nodes.guard(pool);
		PrimaryNode previous = this.topology
			.replacePrimary(new PrimaryNode(pool, guard, guard.breaker(), leader.name(), leader.address()));
		watch(pool);
		previous.guard().retire();
		int released = this.waiters.release(previous.pool(), Long.MAX_VALUE);
		logger.warn("Primary is now '" + leader.name() + "' (" + leader.address() + "), named by "
				+ this.source.describe() + "; it was "
				+ ((previous.member() != null) ? "'" + previous.member() + "' (" + previous.address() + ")"
						: "the configured primary")
				+ ". Writes go there from now on, through a new circuit breaker (closed)"
				+ ((released > 0) ? "; " + released + " writes waiting on the old primary were released" : ""));
		this.pools.retire(previous.pool(), this.drainTimeout, "no longer the primary");
	}

	// A source may name a leader before it accepts writes (Patroni lists the new leader
	// running while it is still being promoted): writes move only once a connection to
	// it is out of recovery. It is asked every 50 ms for a short while, so the switch
	// follows the promotion closely.
	private boolean acceptsWrites(TopologySource.Node leader, PoolSettings settings) {
		long deadline = System.nanoTime() + CONFIRM_WINDOW.toNanos();
		try (NodeProbe probe = this.probes.probe(settings)) {
			String last;
			while (true) {
				NodeProbe.Result result = probe.check(true);
				if (result.reachable() && !result.inRecovery()) {
					return true;
				}
				last = result.reachable() ? "it is still in recovery" : result.error();
				if (System.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted()) {
					break;
				}
				try {
					Thread.sleep(CONFIRM_STEP.toMillis());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
			if (!last.equals(this.lastUnconfirmed)) {
				logger.info("The topology source names '" + leader.name() + "' (" + leader.address()
						+ ") the primary, but it does not accept writes yet (" + last
						+ "); writes stay where they are until it does");
			}
			this.lastUnconfirmed = last;
			return false;
		}
	}

	private void watch(ManagedPool primary) {
		ManagedPool previous = this.watched;
		if (previous == primary) {
			return;
		}
		if (previous != null) {
			previous.stopListening(this.primaryTrouble);
		}
		this.troubled = false;
		primary.listen(this.primaryTrouble);
		this.watched = primary;
	}

	private static String describe(Topology topology) {
		PrimaryNode primary = topology.primary();
		return "primary " + ((primary.member() != null) ? primary.member() : primary.pool().name()) + ", replicas "
				+ topology.describeReplicas();
	}

}
