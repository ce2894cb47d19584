package dev.pool.internal.event;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.pool.event.CircuitBreakerEvent;
import dev.pool.event.CredentialsRotatedEvent;
import dev.pool.event.PoolEvent;
import dev.pool.event.PoolExhaustedEvent;
import dev.pool.event.PoolSizeChangedEvent;
import dev.pool.event.PrimaryChangedEvent;
import dev.pool.event.ReplicaAddedEvent;
import dev.pool.event.ReplicaEjectedEvent;
import dev.pool.event.ReplicaReadmittedEvent;
import dev.pool.event.ReplicaRemovedEvent;
import dev.pool.internal.credentials.CredentialRefresher;
import dev.pool.internal.credentials.LiveCredentials;
import dev.pool.internal.datasource.JdbcUrls;
import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.datasource.PoolEvents;
import dev.pool.internal.datasource.PoolSnapshot;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.internal.topology.PoolShare;
import dev.pool.internal.topology.ReplicaNode;
import dev.pool.internal.topology.Topology;
import dev.pool.internal.topology.TopologyListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Turns each topology change into the events that describe it (a replica ejected,
 * re-admitted, added or removed; the primary replaced; its breaker's state; a pool's live
 * maximum) and each login rotation into one, and publishes them on one thread of its own
 * in the order they happened: a topology listener runs under the topology's lock and a
 * listener of the application may take its time, so the two never meet.
 */
public final class PoolEventPublisher implements TopologyListener, AutoCloseable {

	private static final Log logger = LogFactory.getLog(PoolEventPublisher.class);

	private final ApplicationEventPublisher publisher;

	private static final long EXHAUSTED_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();

	// The pools whose timed-out borrows are followed; weak, so a retired pool goes.
	private final Map<ManagedPool, Boolean> followed = Collections.synchronizedMap(new WeakHashMap<>());

	/**
	 * Starts listening.
	 * @param topology the topology to follow
	 * @param credentials the refresher that sees login rotations
	 * @param publisher where the events go
	 */
	public PoolEventPublisher(LiveTopology topology, CredentialRefresher credentials,
			ApplicationEventPublisher publisher) {
		this.publisher = publisher;
		this.executor.setCorePoolSize(1);
		this.executor.setMaxPoolSize(1);
		this.executor.setThreadNamePrefix("pool-events-");
		this.executor.setDaemon(true);
		this.executor.initialize();
		topology.listen(this);
		credentials.onRotation(this::rotated);
		topology.current().pools().forEach(this::follow);
	}

	@Override
	public void changed(Topology before, Topology after) {
		after.pools().forEach(this::follow);
		List<PoolEvent> events = differences(before, after);
		if (!events.isEmpty()) {
			this.executor.execute(() -> events.forEach(this::publish));
		}
	}

	// Each routed pool once: its timed-out borrows, at most one event a second.
	private void follow(ManagedPool pool) {
		if (this.followed.putIfAbsent(pool, Boolean.TRUE) != null) {
			return;
		}
		AtomicLong last = new AtomicLong(System.nanoTime() - EXHAUSTED_EVERY_NANOS);
		pool.listen(new PoolEvents() {

			@Override
			public void exhausted(SQLException failure) {
				long now = System.nanoTime();
				long then = last.get();
				if (now - then < EXHAUSTED_EVERY_NANOS || !last.compareAndSet(then, now)) {
					return;
				}
				PoolSnapshot snapshot = pool.snapshot();
				PoolEvent event = new PoolExhaustedEvent(pool.name(), snapshot.active(), snapshot.max(),
						snapshot.waiting());
				PoolEventPublisher.this.executor.execute(() -> publish(event));
			}

		});
	}

	private void rotated(LiveCredentials credentials) {
		PoolEvent event = new CredentialsRotatedEvent(credentials.source().pool(), credentials.source().describe(),
				credentials.current().number());
		this.executor.execute(() -> publish(event));
	}

	private void publish(PoolEvent event) {
		try {
			this.publisher.publishEvent(event);
		}
		catch (RuntimeException ex) {
			logger.warn("A listener of " + event + " failed; the pools are not affected", ex);
		}
	}

	/**
	 * The events that tell one snapshot from the next.
	 * @param before the previous snapshot
	 * @param after the new one
	 * @return the events, in the order primary, replicas, sizes
	 */
	static List<PoolEvent> differences(Topology before, Topology after) {
		List<PoolEvent> events = new ArrayList<>();
		ManagedPool oldPrimary = before.primary().pool();
		ManagedPool newPrimary = after.primary().pool();
		if (oldPrimary != newPrimary) {
			events.add(new PrimaryChangedEvent(newPrimary.name(), after.primary().member(),
					JdbcUrls.withoutCredentials(newPrimary.settings().url())));
		}
		else {
			String from = before.primary().breaker().state();
			String to = after.primary().breaker().state();
			if (!from.equals(to)) {
				events.add(new CircuitBreakerEvent(newPrimary.name(), from, to));
			}
		}
		Map<ManagedPool, ReplicaNode> previous = new IdentityHashMap<>();
		before.replicas().forEach((node) -> previous.put(node.pool(), node));
		for (ReplicaNode node : after.replicas()) {
			ReplicaNode was = previous.remove(node.pool());
			if (was == null) {
				events.add(new ReplicaAddedEvent(node.name(), node.address()));
			}
			else if (was.admitted() && was.up() && !node.up()) {
				events.add(new ReplicaEjectedEvent(node.name(), (node.error() != null) ? node.error() : "down"));
			}
			else if (!was.up() && node.up() && was.admitted()) {
				events.add(new ReplicaReadmittedEvent(node.name()));
			}
		}
		previous.values().forEach((node) -> events.add(new ReplicaRemovedEvent(node.name())));
		for (ManagedPool pool : after.pools()) {
			PoolShare now = after.share(pool);
			PoolShare then = before.share(pool);
			if (now != null && then != null && now.liveMaximum() != then.liveMaximum()) {
				events.add(new PoolSizeChangedEvent(pool.name(), then.liveMaximum(), now.liveMaximum(), now.reason()));
			}
		}
		return events;
	}

	/** Publishes what is queued, then stops the thread. */
	@Override
	public void close() {
		this.executor.setWaitForTasksToCompleteOnShutdown(true);
		this.executor.shutdown();
	}

}
