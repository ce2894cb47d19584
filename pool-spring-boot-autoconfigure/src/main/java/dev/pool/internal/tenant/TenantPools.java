package dev.pool.internal.tenant;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import dev.pool.TenantUnavailableException;
import dev.pool.internal.datasource.DataSourcePools;
import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.datasource.PoolSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Mode database: a HikariCP pool per tenant, opened on first use (concurrent first
 * requests open exactly one) after the tenant's migration. At most {@code max-live-pools}
 * are open, and their maximum sizes add up to at most {@code max-total-connections}:
 * opening one more first retires the least recently used pool, which closes once its
 * borrowed connections are back (never by force). A pool unused for
 * {@code pool-idle-timeout} is closed too.
 * <p>
 * A retired pool is out of the map at once, so new borrows open a fresh one; a borrow
 * that raced the retirement is counted ({@code borrowing}) and the pool waits for it.
 */
public final class TenantPools extends TenantRegistrySupport {

	private static final Log logger = LogFactory.getLog(TenantPools.class);

	// A retired pool closes once its last connection is back, which HikariCP does not
	// signal: a thread waiting for it looks again this often. A close (a slot or the
	// predecessor freed) wakes it at once.
	private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private final Function<String, PoolSettings> settings;

	private final TenantMigrations migrations;

	private final @Nullable MetricsTrackerFactory trackers;

	private final int maxLivePools;

	private final @Nullable Integer maxTotalConnections;

	private final long idleNanos;

	private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

	private final Set<Entry> retiring = ConcurrentHashMap.newKeySet();

	private final Semaphore slots;

	private final @Nullable Semaphore budget;

	private final AtomicInteger live = new AtomicInteger();

	private final LongAdder created = new LongAdder();

	private final LongAdder evictedCapacity = new LongAdder();

	private final LongAdder evictedIdle = new LongAdder();

	private final ScheduledExecutorService sweeper;

	// Counts pool closes; a thread waiting for one waits on closed. Guarded by closing.
	private final ReentrantLock closing = new ReentrantLock();

	private final Condition closed = this.closing.newCondition();

	private long closures;

	/**
	 * Creates the registry; no pool is opened before a tenant's first connection.
	 * @param settings each tenant's pool settings (pool {@code tenant-<id>})
	 * @param migrations the tenants' migrations
	 * @param trackers the metrics tracker factory of every tenant pool, or {@code null}
	 * @param maxLivePools the most tenant pools open at once
	 * @param maxTotalConnections the cap on the sum of their maximum sizes, or
	 * {@code null}
	 * @param idleTimeout how long a pool may go unused before it is closed
	 */
	public TenantPools(Function<String, PoolSettings> settings, TenantMigrations migrations,
			@Nullable MetricsTrackerFactory trackers, int maxLivePools, @Nullable Integer maxTotalConnections,
			Duration idleTimeout) {
		this.settings = settings;
		this.migrations = migrations;
		this.trackers = trackers;
		this.maxLivePools = maxLivePools;
		this.maxTotalConnections = maxTotalConnections;
		this.idleNanos = idleTimeout.toNanos();
		this.slots = new Semaphore(maxLivePools);
		this.budget = (maxTotalConnections != null) ? new Semaphore(maxTotalConnections) : null;
		CustomizableThreadFactory threads = new CustomizableThreadFactory("pool-tenants-sweeper-");
		threads.setDaemon(true);
		this.sweeper = Executors.newSingleThreadScheduledExecutor(threads);
		// At least every second, so a pool retired under load closes soon after its last
		// connection is back.
		long interval = Math.max(100, Math.min(1_000, idleTimeout.toMillis() / 4));
		this.sweeper.scheduleWithFixedDelay(this::sweep, interval, interval, TimeUnit.MILLISECONDS);
	}

	@Override
	public Connection connection(String tenantId) throws SQLException {
		for (;;) {
			refuseIfDraining("connections", tenantId);
			Entry entry = this.entries.computeIfAbsent(tenantId, Entry::new);
			Connection connection = entry.borrow();
			if (connection != null) {
				return connection;
			}
		}
	}

	@Override
	public List<ManagedPool> pools() {
		List<ManagedPool> pools = new ArrayList<>();
		for (Entry entry : this.entries.values()) {
			entry.addOpenPool(pools);
		}
		for (Entry entry : this.retiring) {
			entry.addOpenPool(pools);
		}
		return pools;
	}

	@Override
	public TenantSummary summary() {
		int inUse = 0;
		for (ManagedPool pool : pools()) {
			inUse += pool.activeConnections();
		}
		return new TenantSummary("database", this.live.get(), this.maxLivePools, this.created.sum(),
				this.evictedCapacity.sum(), this.evictedIdle.sum(), inUse, this.maxTotalConnections,
				this.migrations.failed());
	}

	/**
	 * Tenant pools open now, for the {@code pool.tenants.live} gauge.
	 * @return the count
	 */
	public int live() {
		return this.live.get();
	}

	/**
	 * Tenant pools opened since startup.
	 * @return the count
	 */
	public long created() {
		return this.created.sum();
	}

	/**
	 * Tenant pools closed since startup, by reason.
	 * @param idle {@code true} for pools closed after the idle timeout, {@code false} for
	 * pools closed to make room
	 * @return the count
	 */
	public long evictions(boolean idle) {
		return idle ? this.evictedIdle.sum() : this.evictedCapacity.sum();
	}

	@Override
	public void close() {
		refuseNewConnections();
		this.sweeper.shutdownNow();
		List<Entry> all = new ArrayList<>(this.entries.values());
		all.addAll(this.retiring);
		for (Entry entry : all) {
			entry.retire();
			entry.closeNow();
		}
	}

	// Closes pools unused for the idle timeout, and retired pools whose connections are
	// back.
	private void sweep() {
		try {
			long now = System.nanoTime();
			for (Entry entry : this.entries.values()) {
				if (entry.isIdleSince(now - this.idleNanos) && entry.retire()) {
					this.evictedIdle.increment();
					logger.info("Tenant pool '" + entry.name() + "' unused for " + Duration.ofNanos(this.idleNanos)
							+ "; closing it");
				}
			}
			closeRetiredIdle();
		}
		catch (RuntimeException ex) {
			logger.warn("Tenant pool sweep failed", ex);
		}
	}

	private boolean closeRetiredIdle() {
		boolean closed = false;
		for (Entry entry : this.retiring) {
			closed |= entry.closeIfIdle();
		}
		return closed;
	}

	// Takes a slot (and the pool's share of the connection cap), retiring least recently
	// used pools until one frees up or the deadline passes.
	// The tenant's previous pool, retired but not yet closed, must be gone first: two
	// open pools of one name would share (and the old one's close would remove) the
	// meters.
	private void awaitPredecessor(Entry requester, long deadline) throws SQLException {
		for (;;) {
			long seen = closures();
			Entry predecessor = null;
			for (Entry entry : this.retiring) {
				if (entry.tenant.equals(requester.tenant) && entry != requester) {
					predecessor = entry;
				}
			}
			if (predecessor == null) {
				return;
			}
			predecessor.closeIfIdle();
			// Leaves the set only once its close (and its meters' removal) is done.
			if (this.retiring.contains(predecessor)) {
				if (System.nanoTime() - deadline > 0) {
					throw new TenantUnavailableException("The previous pool of tenant '" + requester.tenant
							+ "' still has connections in use; no new pool opened", null, null);
				}
				awaitClosure(seen, deadline);
			}
		}
	}

	private void reserve(Entry requester, int weight, long deadline, Duration timeout) throws SQLException {
		Entry victim = null;
		for (;;) {
			long seen = closures();
			if (this.slots.tryAcquire()) {
				if (this.budget == null || this.budget.tryAcquire(weight)) {
					return;
				}
				this.slots.release();
			}
			if (closeRetiredIdle()) {
				continue;
			}
			// One victim at a time: another is chosen only once the previous one closed
			// (and someone else may have taken its slot).
			if (victim == null || victim.closed) {
				victim = leastRecentlyUsed(requester);
				if (victim != null && victim.retire()) {
					this.evictedCapacity.increment();
					logger.debug("Retiring tenant pool '" + victim.name() + "' to make room for tenant '"
							+ requester.tenant + "'");
					victim.closeIfIdle();
				}
				else {
					victim = null;
				}
			}
			if (System.nanoTime() - deadline > 0) {
				throw new TenantUnavailableException("No pool could be opened for tenant '" + requester.tenant
						+ "' within " + timeout.toMillis() + "ms: " + this.live.get() + " of " + this.maxLivePools
						+ " tenant pools open, " + this.retiring.size() + " waiting for their connections to close",
						null, null);
			}
			awaitClosure(seen, deadline);
			refuseIfDraining("pool", requester.tenant);
		}
	}

	private long closures() {
		this.closing.lock();
		try {
			return this.closures;
		}
		finally {
			this.closing.unlock();
		}
	}

	private void closedOne() {
		this.closing.lock();
		try {
			this.closures++;
			this.closed.signalAll();
		}
		finally {
			this.closing.unlock();
		}
	}

	// Until a pool closes after the count seen, the deadline, or a recheck is due.
	private void awaitClosure(long seen, long deadline) throws SQLException {
		this.closing.lock();
		try {
			long wait = Math.min(RECHECK_NANOS, deadline - System.nanoTime());
			while (this.closures == seen && wait > 0) {
				wait = this.closed.awaitNanos(wait);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new TenantUnavailableException("Interrupted while waiting for a tenant pool to close", null, ex);
		}
		finally {
			this.closing.unlock();
		}
	}

	private @Nullable Entry leastRecentlyUsed(Entry requester) {
		Entry oldest = null;
		for (Entry entry : this.entries.values()) {
			if (entry != requester && entry.pool != null && !entry.retired
					&& (oldest == null || entry.lastUsed - oldest.lastUsed < 0)) {
				oldest = entry;
			}
		}
		return oldest;
	}

	/** One tenant's pool, from first use to close. */
	private final class Entry {

		private final String tenant;

		private final AtomicInteger borrowing = new AtomicInteger();

		private volatile @Nullable ManagedPool pool;

		private volatile boolean retired;

		private volatile boolean closed;

		private volatile long lastUsed = System.nanoTime();

		private int weight;

		Entry(String tenant) {
			this.tenant = tenant;
		}

		String name() {
			ManagedPool pool = this.pool;
			return (pool != null) ? pool.name() : this.tenant;
		}

		/** A connection, or {@code null} when this entry was retired: look again. */
		@Nullable Connection borrow() throws SQLException {
			this.borrowing.incrementAndGet();
			try {
				if (this.retired) {
					return null;
				}
				this.lastUsed = System.nanoTime();
				ManagedPool pool = this.pool;
				if (pool == null) {
					pool = open();
					if (pool == null) {
						return null;
					}
				}
				try {
					return pool.dataSource().getConnection();
				}
				catch (SQLException ex) {
					if (this.retired) {
						return null;
					}
					throw ex;
				}
			}
			finally {
				this.borrowing.decrementAndGet();
			}
		}

		private synchronized @Nullable ManagedPool open() throws SQLException {
			if (this.retired) {
				return null;
			}
			ManagedPool pool = this.pool;
			if (pool != null) {
				return pool;
			}
			try {
				PoolSettings settings = TenantPools.this.settings.apply(this.tenant);
				TenantPools.this.migrations.ensure(this.tenant,
						new TenantMigrator.Target(settings.url(), settings.credentials(), null));
				int weight = settings.maximumPoolSize();
				long deadline = System.nanoTime() + settings.connectionTimeout().toNanos();
				awaitPredecessor(this, deadline);
				reserve(this, weight, deadline, settings.connectionTimeout());
				try {
					pool = DataSourcePools.startOne(settings, TenantPools.this.trackers);
				}
				catch (RuntimeException ex) {
					TenantPools.this.slots.release();
					if (TenantPools.this.budget != null) {
						TenantPools.this.budget.release(weight);
					}
					throw ex;
				}
				this.weight = weight;
				this.pool = pool;
				TenantPools.this.live.incrementAndGet();
				TenantPools.this.created.increment();
				logger.info("Opened tenant pool '" + pool.name() + "' (max " + weight + "); "
						+ TenantPools.this.live.get() + " of " + TenantPools.this.maxLivePools + " tenant pools open");
				return pool;
			}
			catch (SQLException | RuntimeException ex) {
				// Nothing was opened: the next request starts over.
				this.retired = true;
				TenantPools.this.entries.remove(this.tenant, this);
				throw ex;
			}
		}

		boolean isIdleSince(long cutoff) {
			ManagedPool pool = this.pool;
			return pool != null && !this.retired && this.lastUsed - cutoff < 0 && this.borrowing.get() == 0
					&& pool.activeConnections() == 0;
		}

		/** Takes the entry out of service; true for the caller that did it. */
		boolean retire() {
			synchronized (this) {
				if (this.retired) {
					return false;
				}
				this.retired = true;
			}
			TenantPools.this.entries.remove(this.tenant, this);
			if (this.pool != null) {
				TenantPools.this.retiring.add(this);
			}
			return true;
		}

		/** Closes a retired pool once nothing is borrowed from it; true if it did. */
		boolean closeIfIdle() {
			ManagedPool pool = this.pool;
			if (pool == null || this.closed || this.borrowing.get() != 0 || pool.activeConnections() != 0) {
				return false;
			}
			return closeNow();
		}

		boolean closeNow() {
			ManagedPool pool;
			synchronized (this) {
				pool = this.pool;
				if (pool == null || this.closed) {
					return false;
				}
				this.closed = true;
			}
			pool.dataSource().close();
			TenantPools.this.retiring.remove(this);
			TenantPools.this.live.decrementAndGet();
			TenantPools.this.slots.release();
			if (TenantPools.this.budget != null) {
				TenantPools.this.budget.release(this.weight);
			}
			TenantPools.this.closedOne();
			logger.info("Closed tenant pool '" + pool.name() + "'; " + TenantPools.this.live.get() + " of "
					+ TenantPools.this.maxLivePools + " tenant pools open");
			return true;
		}

		void addOpenPool(List<ManagedPool> pools) {
			ManagedPool pool = this.pool;
			if (pool != null && !this.closed) {
				pools.add(pool);
			}
		}

	}

}
