package dev.pool.internal.fleet;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

import dev.pool.internal.datasource.DataSourcePools;
import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.datasource.PoolEvents;
import dev.pool.internal.datasource.PoolSettings;
import dev.pool.internal.datasource.PoolSnapshot;
import dev.pool.internal.failure.ConnectionFailures;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.internal.topology.PoolShare;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One routed pool's size: the live maximum its load asks for (adaptive sizing), within
 * the slots its instance holds on the pool's node (a fleet budget). Confined to the fleet
 * thread, except for the pool's own events, which only record.
 * <p>
 * The invariant that keeps the service under its budget: the pool never has more
 * connections than the slots held, minus the fleet session's own. So slots are taken
 * before the maximum grows, and given back only once the pool has shrunk below them.
 */
final class FleetMember {

	private static final Log logger = LogFactory.getLog(FleetMember.class);

	// While threads wait for slots, how often the node is counted again.
	private static final long RESETTLE_NANOS = Duration.ofMillis(250).toNanos();

	private final ManagedPool pool;

	private final LiveTopology topology;

	private final @Nullable FleetSession session;

	private final @Nullable Budget budget;

	private final @Nullable String instance;

	private final boolean adaptive;

	private final int minimum;

	private final int maximum;

	private final int minimumIdle;

	private final long idleTimeoutNanos;

	private final long refreshNanos;

	private final Executor nudges;

	private final LongAdder refused = new LongAdder();

	private final PoolEvents refusals = new PoolEvents() {

		@Override
		public void connectFailed(SQLException failure) {
			if (ConnectionFailures.isTooManyConnections(failure)) {
				refused(failure);
			}
		}

	};

	// Set by the pool's connection adder, read by the fleet thread.
	private volatile long refusedAtNanos;

	private volatile boolean refusedPending;

	// Fleet-thread state from here on.
	private final TreeSet<Integer> held = new TreeSet<>();

	private int budgetNow;

	private int instances = 1;

	private int share;

	private int wanted;

	private int target;

	private int liveMaximum;

	private String reason = "starting";

	// The bound the last settlement set, for the reasons of growth within it.
	private String shareReason;

	private long changedAtMillis = System.currentTimeMillis();

	// The most connections in use over the last idle-timeout, and when a thread last
	// waited and the pool last shrank.
	private final Busiest busiest;

	private long waitedAtNanos = System.nanoTime();

	private long shrunkAtNanos = System.nanoTime();

	private long settledAtNanos;

	private boolean shrinking;

	private long lastRefusedLog;

	FleetMember(ManagedPool pool, LiveTopology topology, @Nullable Budget budget, @Nullable String instance,
			String application, boolean adaptive, Duration refreshInterval, Executor nudges) {
		PoolSettings settings = pool.settings();
		this.pool = pool;
		this.topology = topology;
		this.budget = budget;
		this.instance = instance;
		this.session = (budget != null && instance != null) ? new FleetSession(settings, application, instance) : null;
		this.adaptive = adaptive;
		this.maximum = settings.maximumPoolSize();
		this.minimumIdle = settings.minimumIdle();
		this.minimum = Math.min(this.maximum, Math.max(1, settings.minimumIdle()));
		this.idleTimeoutNanos = settings.idleTimeout().toNanos();
		this.busiest = new Busiest(this.idleTimeoutNanos);
		this.refreshNanos = refreshInterval.toNanos();
		this.nudges = nudges;
		this.target = adaptive ? this.minimum : this.maximum;
		this.wanted = this.target + 1;
		this.shareReason = "within maximum-pool-size " + this.maximum;
		// 1 for a pool that starts parked; what it had for one that rejoins a fleet.
		this.liveMaximum = pool.dataSource().getMaximumPoolSize();
		pool.listen(this.refusals);
	}

	ManagedPool pool() {
		return this.pool;
	}

	/**
	 * First settlement: slots before the pool opens more than one connection. When the
	 * budget is all taken, asks and waits until the deadline for the other instances to
	 * give back what its share asks of them (they do at their next refresh).
	 * @param deadline the {@link System#nanoTime()} until which to wait for slots
	 * @throws RuntimeException when the pool is one that fails fast at startup (the
	 * primary, by default) and its node cannot be reached
	 */
	void start(long deadline) {
		if (this.session == null) {
			apply(this.target, "sized by its load between " + this.minimum + " and " + this.maximum);
			publish();
			return;
		}
		if (this.liveMaximum > 1) {
			shrinkTo(1, "joining the fleet");
			this.shrinking = false;
		}
		Exception failure;
		while (true) {
			failure = settleOnce(null);
			if ((failure == null && this.held.size() >= Math.min(2, keep()))
					|| (failure != null && !ConnectionFailures.isTooManyConnections(failure))
					|| System.nanoTime() - deadline >= 0) {
				break;
			}
			try {
				Thread.sleep(RESETTLE_NANOS / 1_000_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		if (failure instanceof RoleWithoutLimitException noLimit) {
			throw noLimit;
		}
		if (failure != null && this.pool.settings().initializationFailTimeout().compareTo(Duration.ZERO) > 0) {
			throw DataSourcePools.unreachableAtStartup(this.pool.settings(), failure);
		}
		if (failure != null) {
			lost(failure);
		}
		else if (this.held.size() < Math.min(2, keep())) {
			logger.warn("Pool '" + this.pool.name() + "' holds " + this.held.size() + " slots on its node after "
					+ "waiting for the other instances to give some back: it keeps at most one connection until "
					+ "its next refresh");
		}
		publish();
	}

	// One settlement; the failure, if the node could not be reached or read. Grows for
	// the reason given, or for the share.
	private @Nullable Exception settleOnce(@Nullable String growth) {
		FleetSession session = this.session;
		Budget budget = this.budget;
		if (session == null || budget == null) {
			return null;
		}
		this.settledAtNanos = System.nanoTime();
		try {
			session.ask(this.wanted);
			FleetSession.Census census = session.census();
			this.budgetNow = budget.resolve(session);
			int slots = Math.max(0, this.budgetNow - budget.reserve());
			Map<String, Integer> asks = new HashMap<>(census.wanted());
			asks.put(this.instance, this.wanted);
			this.instances = asks.size();
			this.share = FairShare.of(slots, asks).getOrDefault(this.instance, 0);
			int keep = keep();
			String why = "share " + this.share + " of " + slots + " slots among " + this.instances
					+ ((this.instances == 1) ? " instance" : " instances");
			this.shareReason = why;
			if (this.held.size() > keep || this.held.stream().anyMatch((slot) -> slot > slots)) {
				shrinkTo(Math.max(1, keep - 1), why);
			}
			else if (this.held.size() < keep) {
				take(census, slots, keep - this.held.size());
			}
			grow((growth != null) ? growth : why);
			finishShrink();
			return null;
		}
		catch (SQLException | RuntimeException ex) {
			return ex;
		}
	}

	// The slots this instance should hold: its share, or less when it asks for less.
	private int keep() {
		return Math.min(this.share, this.wanted);
	}

	/**
	 * Every refresh-interval: counts the fleet on the node, settles this instance's
	 * share, takes or gives back slots, sets the live maximum.
	 */
	void refresh() {
		this.refusedPending = false;
		Exception failure = settleOnce(null);
		if (failure != null) {
			lost(failure);
		}
		publish();
	}

	/**
	 * Every tick ({@link Fleet#TICK}): follows the load (adaptive sizing); while threads
	 * wait and the slots held do not allow more, settles again at once (at most every
	 * {@link #RESETTLE_NANOS}) rather than at the next refresh, so a burst takes free
	 * slots within a tick or two; finishes a shrink.
	 */
	void tick() {
		long now = System.nanoTime();
		PoolSnapshot snapshot = this.pool.snapshot();
		int waiting = snapshot.waiting();
		int before = this.target;
		String why = size(snapshot, waiting, now);
		boolean changed = false;
		FleetSession session = this.session;
		if (session == null) {
			if (this.target != this.liveMaximum) {
				changed = apply(this.target, why);
			}
		}
		else {
			this.wanted = this.target + 1;
			try {
				if (waiting > 0 && this.liveMaximum < this.target && !refusedRecently(now)) {
					if (this.held.size() - 1 < this.target && now - this.settledAtNanos >= RESETTLE_NANOS) {
						Exception failure = settleOnce(why);
						if (failure != null) {
							throw failure;
						}
					}
					else if (this.target != before) {
						session.ask(this.wanted);
					}
					changed = grow(why);
				}
				else if (this.target != before) {
					session.ask(this.wanted);
				}
				if (this.target < this.liveMaximum) {
					changed = shrinkTo(Math.max(1, this.target), why) || changed;
				}
				finishShrink();
			}
			catch (Exception ex) {
				lost(ex);
				changed = true;
			}
		}
		if (changed || this.target != before || this.refusedPending) {
			this.refusedPending = false;
			publish();
		}
	}

	// Adaptive sizing: grown while threads wait; once no thread has waited for an
	// idle-timeout, shrunk to the most connections in use at any tick of the last
	// idle-timeout. Returns why the target is what it is.
	private String size(PoolSnapshot snapshot, int waiting, long now) {
		if (!this.adaptive) {
			return this.shareReason;
		}
		this.busiest.record(now, snapshot.active());
		if (refusedRecently(now)) {
			this.target = Math.min(this.target, Math.max(1, snapshot.total()));
			return "the server refused a connection (too many connections): no growth until the next refresh";
		}
		if (waiting > 0) {
			this.waitedAtNanos = now;
			// The demand now: connections in use and threads waiting. Not the total plus
			// the waiting: threads still waiting for connections already being opened
			// would be counted twice.
			int grown = Math.min(this.maximum, snapshot.active() + waiting);
			if (grown > this.target) {
				this.target = grown;
			}
			// Growing within the target: into slots held or newly taken.
			return waiting + ((waiting == 1) ? " thread" : " threads") + " waited for a connection";
		}
		// One step down, then not again for a quarter of idle-timeout: each shrink
		// replaces the pool's idle connections.
		if (this.idleTimeoutNanos > 0 && this.target > this.minimum && now - this.waitedAtNanos >= this.idleTimeoutNanos
				&& now - this.shrunkAtNanos >= this.idleTimeoutNanos / 4) {
			int shrunk = Math.max(this.minimum, this.busiest.max());
			if (shrunk < this.target) {
				this.target = shrunk;
				this.shrunkAtNanos = now;
				return "low use for idle-timeout: at most " + shrunk + " connections in use";
			}
		}
		return this.reason;
	}

	private boolean refusedRecently(long now) {
		return this.refusedAtNanos != 0 && now - this.refusedAtNanos < this.refreshNanos;
	}

	private void take(FleetSession.Census census, int slots, int count) throws SQLException {
		FleetSession session = this.session;
		if (session == null || count <= 0) {
			return;
		}
		List<Integer> free = new ArrayList<>();
		for (int slot = 1; slot <= slots && free.size() < count * 4; slot++) {
			if (!census.taken().contains(slot)) {
				free.add(slot);
			}
		}
		// Instances starting together should not all try the same slots first.
		java.util.Collections.shuffle(free);
		this.held.addAll(session.acquire(free, count));
	}

	// Raises the live maximum to what the target asks and the slots held allow (one slot
	// is the fleet session's own).
	private boolean grow(String why) {
		int allowed = (this.session != null) ? this.held.size() - 1 : this.maximum;
		int live = Math.max(1, Math.min(this.target, Math.min(this.maximum, allowed)));
		if (live > this.liveMaximum && !this.shrinking) {
			return apply(live, why);
		}
		return false;
	}

	private boolean shrinkTo(int live, String why) {
		if (live >= this.liveMaximum) {
			return false;
		}
		apply(live, why);
		// HikariCP's smaller maximum closes nothing: idle connections go now, borrowed
		// ones when they come back; the pool then opens at most the new maximum.
		if (this.pool.snapshot().total() > live) {
			var pool = this.pool.dataSource().getHikariPoolMXBean();
			if (pool != null) {
				pool.softEvictConnections();
			}
		}
		this.shrinking = true;
		return true;
	}

	// Slots beyond the live maximum go back only once the pool has closed the
	// connections above it.
	private void finishShrink() throws SQLException {
		FleetSession session = this.session;
		if (!this.shrinking || session == null) {
			this.shrinking = false;
			return;
		}
		if (this.pool.snapshot().total() > this.liveMaximum) {
			return;
		}
		int keep = this.liveMaximum + 1;
		List<Integer> extra = new ArrayList<>();
		Budget budget = this.budget;
		int slots = (budget != null) ? Math.max(0, this.budgetNow - budget.reserve()) : Integer.MAX_VALUE;
		// Slots beyond a smaller budget go first.
		for (Integer slot : this.held.descendingSet()) {
			if (this.held.size() - extra.size() <= keep && slot <= slots) {
				break;
			}
			extra.add(slot);
		}
		if (!extra.isEmpty()) {
			session.release(extra);
			extra.forEach(this.held::remove);
		}
		this.shrinking = false;
	}

	private boolean apply(int live, String why) {
		if (live == this.liveMaximum && !why.equals(this.reason)) {
			this.reason = why;
			return true;
		}
		if (live == this.liveMaximum) {
			return false;
		}
		this.pool.resize(live, Math.min(this.minimumIdle, live), this.nudges);
		logger.info("Pool '" + this.pool.name() + "' live maximum " + this.liveMaximum + " -> " + live + ": " + why);
		this.liveMaximum = live;
		this.reason = why;
		this.changedAtMillis = System.currentTimeMillis();
		return true;
	}

	// The fleet session broke: its locks are gone, so the pool must be below any share
	// until a new session holds slots again.
	private void lost(Exception ex) {
		boolean hadSlots = !this.held.isEmpty();
		this.held.clear();
		FleetSession session = this.session;
		if (session != null) {
			session.close();
		}
		if (hadSlots) {
			logger.warn("Pool '" + this.pool.name() + "' lost its fleet session (" + ConnectionFailures.describe(ex)
					+ "): it keeps one connection until it holds slots again");
		}
		shrinkTo(1, "no fleet session on the node: " + ConnectionFailures.describe(ex));
		this.shrinking = false;
	}

	private void refused(SQLException failure) {
		this.refused.increment();
		long now = System.nanoTime();
		this.refusedAtNanos = now;
		this.refusedPending = true;
		if (now - this.lastRefusedLog > this.refreshNanos || this.lastRefusedLog == 0) {
			this.lastRefusedLog = now;
			logger.warn("Pool '" + this.pool.name() + "': the server refused a connection (" + failure.getSQLState()
					+ ", " + failure.getMessage() + "); not an outage: the pool grows no more until the next refresh");
		}
	}

	private void publish() {
		Budget budget = this.budget;
		this.topology.share(this.pool,
				new PoolShare(this.budgetNow, (budget != null) ? budget.reserve() : 0, this.instances, this.instance,
						(this.session != null) ? this.wanted : 0, this.share, this.held.size(), this.liveMaximum,
						this.reason, this.changedAtMillis, this.refused));
	}

	/** The pool left the topology (or the application stops): its slots go back. */
	void close() {
		this.pool.stopListening(this.refusals);
		FleetSession session = this.session;
		if (session != null) {
			session.close();
		}
		this.held.clear();
	}

	/**
	 * The most connections in use at any tick of a sliding window (idle-timeout long), in
	 * eight buckets: memory and work independent of the window's length.
	 */
	static final class Busiest {

		private static final int BUCKETS = 8;

		private final int[] max = new int[BUCKETS];

		private final long bucketNanos;

		private final long origin = System.nanoTime();

		private long current;

		Busiest(long windowNanos) {
			this.bucketNanos = Math.max(1, windowNanos / BUCKETS);
		}

		void record(long now, int active) {
			long bucket = (now - this.origin) / this.bucketNanos;
			// Buckets the window has slid past start again from nothing.
			for (long b = this.current + 1; b <= bucket && b <= this.current + BUCKETS; b++) {
				this.max[(int) (b % BUCKETS)] = 0;
			}
			this.current = Math.max(this.current, bucket);
			int index = (int) (bucket % BUCKETS);
			this.max[index] = Math.max(this.max[index], active);
		}

		int max() {
			int result = 0;
			for (int value : this.max) {
				result = Math.max(result, value);
			}
			return result;
		}

	}

	/**
	 * A budget: a number of connections, or the login role's {@code CONNECTION LIMIT}.
	 *
	 * @param connections the connections, {@code null} for the role's limit
	 * @param reserve the connections of it kept for probes, migrations and operators
	 */
	record Budget(@Nullable Integer connections, int reserve) {

		int resolve(FleetSession session) throws SQLException {
			if (this.connections != null) {
				return this.connections;
			}
			int limit = session.roleLimit();
			if (limit < 0) {
				throw new RoleWithoutLimitException(session.poolName());
			}
			return limit;
		}

	}

}
