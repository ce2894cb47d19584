package dev.pool.internal.drain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.internal.datasource.DataSourcePools;
import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.routing.ConnectionGate;
import dev.pool.internal.tenant.TenantRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Drains the pools at shutdown, after the web server has stopped and before the pool
 * beans are destroyed: readiness turns to refusing traffic, new connection requests fail
 * at once, borrowed connections get up to {@code app.datasource.drain.timeout} to come
 * back, then the pools close (aborting what is still out) and each logs a summary line.
 */
public final class PoolDrain implements SmartLifecycle {

	/**
	 * Below the web server's graceful-shutdown (MAX - 1024) and start/stop (MAX - 2048)
	 * phases, so HTTP work has finished first; above the default phase of most other
	 * components.
	 */
	public static final int PHASE = Integer.MAX_VALUE - 4096;

	private static final Log logger = LogFactory.getLog(PoolDrain.class);

	private final ConnectionGate gate;

	private final DataSourcePools pools;

	private final Duration timeout;

	private final ApplicationEventPublisher events;

	private final @Nullable TenantRegistry tenants;

	private volatile boolean running;

	/**
	 * Creates the drain; it runs when the application context stops.
	 * @param gate the gate that refuses new connections on every router
	 * @param pools the pools to drain and close
	 * @param timeout how long borrowed connections may take to come back
	 * @param events where readiness changes are published
	 * @param tenants the tenant pools to drain too, or {@code null} without tenancy
	 */
	public PoolDrain(ConnectionGate gate, DataSourcePools pools, Duration timeout, ApplicationEventPublisher events,
			@Nullable TenantRegistry tenants) {
		this.tenants = tenants;
		this.gate = gate;
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

	/**
	 * Drains now; returns once every pool is closed, at most the drain timeout plus
	 * closing.
	 */
	public void drain() {
		AvailabilityChangeEvent.publish(this.events, this, ReadinessState.REFUSING_TRAFFIC);
		this.gate.close();
		long start = System.nanoTime();
		Map<String, Integer> activeAtStart = new LinkedHashMap<>();
		all().forEach((pool) -> activeAtStart.put(pool.name(), pool.activeConnections()));
		long deadline = start + this.timeout.toNanos();
		// Polled: HikariCP offers no notification when a connection comes back.
		while (totalActive() > 0 && System.nanoTime() < deadline) {
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		for (ManagedPool pool : all()) {
			HikariDataSource dataSource = pool.dataSource();
			int forced = dataSource.isClosed() ? 0 : pool.activeConnections();
			dataSource.close();
			long millis = (System.nanoTime() - start) / 1_000_000;
			String line = "Pool '" + pool.name() + "' drained: " + activeAtStart.getOrDefault(pool.name(), 0)
					+ " active at start, " + millis + "ms, " + forced + " closed by force";
			if (forced > 0) {
				logger.warn(line + " (drain timeout " + this.timeout.toMillis() + "ms reached)");
			}
			else {
				logger.info(line);
			}
		}
		if (this.tenants != null) {
			this.tenants.close();
		}
	}

	// The application's pools (retiring ones included) and the tenant pools open now.
	private List<ManagedPool> all() {
		if (this.tenants == null) {
			return this.pools.open();
		}
		List<ManagedPool> all = new ArrayList<>(this.tenants.pools());
		all.addAll(this.pools.open());
		return all;
	}

	private int totalActive() {
		int active = 0;
		for (ManagedPool pool : all()) {
			active += pool.activeConnections();
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
