package dev.pool.drain;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.datasource.DataSourcePools;
import dev.pool.datasource.PoolSnapshot;
import dev.pool.routing.RoutingDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Drains the pools at shutdown, after the web server has stopped and before the pool beans are
 * destroyed: readiness turns to refusing traffic, new connection requests fail at once,
 * borrowed connections get up to {@code app.datasource.drain.timeout} to come back, then the
 * pools close (aborting what is still out) and each logs a summary line.
 */
public final class PoolDrain implements SmartLifecycle {

	/**
	 * Below the web server's graceful-shutdown (MAX - 1024) and start/stop (MAX - 2048) phases,
	 * so HTTP work has finished first; above the default phase of most other components.
	 */
	public static final int PHASE = Integer.MAX_VALUE - 4096;

	private static final Log logger = LogFactory.getLog(PoolDrain.class);

	private final RoutingDataSource router;

	private final DataSourcePools pools;

	private final Duration timeout;

	private final ApplicationEventPublisher events;

	private volatile boolean running;

	public PoolDrain(RoutingDataSource router, DataSourcePools pools, Duration timeout,
			ApplicationEventPublisher events) {
		this.router = router;
		this.pools = pools;
		this.timeout = timeout;
		this.events = events;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		drain();
	}

	/** Drains now; returns once every pool is closed, at most the drain timeout plus closing. */
	public void drain() {
		AvailabilityChangeEvent.publish(this.events, this, ReadinessState.REFUSING_TRAFFIC);
		this.router.startDraining();
		long start = System.nanoTime();
		Map<String, Integer> activeAtStart = new LinkedHashMap<>();
		this.pools.pools().forEach((name, pool) -> activeAtStart.put(name, PoolSnapshot.of(pool).active()));
		long deadline = start + this.timeout.toNanos();
		while (totalActive() > 0 && System.nanoTime() < deadline) {
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		for (Map.Entry<String, HikariDataSource> entry : this.pools.pools().entrySet()) {
			HikariDataSource pool = entry.getValue();
			int forced = pool.isClosed() ? 0 : PoolSnapshot.of(pool).active();
			pool.close();
			long millis = (System.nanoTime() - start) / 1_000_000;
			String line = "Pool '" + entry.getKey() + "' drained: " + activeAtStart.get(entry.getKey())
					+ " active at start, " + millis + "ms, " + forced + " closed by force";
			if (forced > 0) {
				logger.warn(line + " (drain timeout " + this.timeout.toMillis() + "ms reached)");
			}
			else {
				logger.info(line);
			}
		}
	}

	private int totalActive() {
		int active = 0;
		for (HikariDataSource pool : this.pools.pools().values()) {
			active += PoolSnapshot.of(pool).active();
		}
		return active;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	@Override
	public boolean isPauseable() {
		return false;
	}

}
