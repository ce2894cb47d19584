package dev.pool.internal.datasource;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;
import org.jspecify.annotations.Nullable;

/**
 * The HikariCP metrics tracker of every pool, set only when Micrometer or Actuator can
 * read it: counts acquisition timeouts per pool and forwards everything to a delegate
 * factory (HikariCP's Micrometer tracker) once one is attached. HikariCP accepts a
 * tracker factory only once per started pool, hence the late delegate.
 * <p>
 * Pools are tracked by name, as HikariCP's meters are tagged: when a pool starts under
 * the name of one that is still closing (the primary after a failover, a replica that
 * left and came back), the closing one's meters go first, so the series always describe
 * the pool that serves under that name.
 */
public final class PoolTrackers implements MetricsTrackerFactory {

	private final Map<String, Tracker> trackers = new ConcurrentHashMap<>();

	private volatile @Nullable MetricsTrackerFactory delegate;

	@Override
	public synchronized IMetricsTracker create(String poolName, PoolStats poolStats) {
		Tracker tracker = new Tracker(poolName, poolStats);
		Tracker previous = this.trackers.put(poolName, tracker);
		if (previous != null) {
			previous.detach();
		}
		MetricsTrackerFactory current = this.delegate;
		if (current != null) {
			tracker.delegate = current.create(poolName, poolStats);
		}
		return tracker;
	}

	/**
	 * Acquisitions that timed out in a pool since it started.
	 * @param poolName the pool
	 * @return the count, 0 for a pool that never reported
	 */
	public long timeouts(String poolName) {
		Tracker tracker = this.trackers.get(poolName);
		return (tracker != null) ? tracker.timeouts.sum() : 0;
	}

	/**
	 * The live timeout count of a pool, for function counters.
	 * @param poolName the pool
	 * @return the counter, or {@code null} for a pool that is not tracked
	 */
	public @Nullable LongAdder timeoutCounter(String poolName) {
		Tracker tracker = this.trackers.get(poolName);
		return (tracker != null) ? tracker.timeouts : null;
	}

	/**
	 * Forwards every pool's events to trackers from the given factory from now on,
	 * including pools that start later.
	 * @param delegate HikariCP's Micrometer tracker factory, usually
	 */
	public synchronized void attach(MetricsTrackerFactory delegate) {
		this.delegate = delegate;
		this.trackers.forEach((poolName, tracker) -> tracker.delegate = delegate.create(poolName, tracker.poolStats));
	}

	private final class Tracker implements IMetricsTracker {

		private static final IMetricsTracker NONE = new IMetricsTracker() {
		};

		private final String poolName;

		private final PoolStats poolStats;

		private final LongAdder timeouts = new LongAdder();

		private volatile IMetricsTracker delegate = NONE;

		Tracker(String poolName, PoolStats poolStats) {
			this.poolName = poolName;
			this.poolStats = poolStats;
		}

		@Override
		public void recordConnectionCreatedMillis(long connectionCreatedMillis) {
			this.delegate.recordConnectionCreatedMillis(connectionCreatedMillis);
		}

		@Override
		public void recordConnectionAcquiredNanos(long elapsedAcquiredNanos) {
			this.delegate.recordConnectionAcquiredNanos(elapsedAcquiredNanos);
		}

		@Override
		public void recordConnectionUsageMillis(long elapsedBorrowedMillis) {
			this.delegate.recordConnectionUsageMillis(elapsedBorrowedMillis);
		}

		@Override
		public void recordConnectionTimeout() {
			this.timeouts.increment();
			this.delegate.recordConnectionTimeout();
		}

		// A newer pool took the name: this one reports to nobody from now on.
		void detach() {
			IMetricsTracker current = this.delegate;
			this.delegate = NONE;
			current.close();
		}

		@Override
		public void close() {
			// A closed pool leaves nothing behind: HikariCP's tracker removes its meters,
			// and this one its entry (unless a newer pool took the name).
			PoolTrackers.this.trackers.remove(this.poolName, this);
			detach();
		}

	}

}
