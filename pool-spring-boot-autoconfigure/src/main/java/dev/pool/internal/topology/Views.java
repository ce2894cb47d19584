package dev.pool.internal.topology;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.pool.internal.credentials.LiveCredentials;
import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.datasource.PoolSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * The one vocabulary in which health, {@code /actuator/pools} and logs show pools and
 * nodes: the same keys, units and rounding wherever a pool, a replica, a breaker or the
 * topology source appears. Renders what a snapshot holds; computes nothing new.
 */
public final class Views {

	private Views() {
	}

	/**
	 * A pool's role and live counts.
	 * @param pool the pool
	 * @return {@code role} and {@code connections} (total, active, idle, waiting, max,
	 * utilization, saturation)
	 */
	public static Map<String, @Nullable Object> pool(ManagedPool pool) {
		Map<String, @Nullable Object> view = new LinkedHashMap<>();
		view.put("role", pool.role().name().toLowerCase(Locale.ROOT));
		view.put("connections", connections(pool.snapshot()));
		return view;
	}

	/**
	 * A pool's live counts.
	 * @param snapshot the counts
	 * @return total, active, idle, waiting, max, utilization (3 decimals), saturation
	 */
	public static Map<String, @Nullable Object> connections(PoolSnapshot snapshot) {
		Map<String, @Nullable Object> view = new LinkedHashMap<>();
		view.put("total", snapshot.total());
		view.put("active", snapshot.active());
		view.put("idle", snapshot.idle());
		view.put("waiting", snapshot.waiting());
		view.put("max", snapshot.max());
		view.put("utilization", round(snapshot.utilization(), 1000));
		view.put("saturation", snapshot.saturation().name());
		return view;
	}

	/**
	 * A primary's breaker.
	 * @param breaker its state
	 * @return state and retryInMs
	 */
	public static Map<String, @Nullable Object> breaker(BreakerState breaker) {
		Map<String, @Nullable Object> view = new LinkedHashMap<>();
		view.put("state", breaker.state());
		view.put("retryInMs", breaker.remaining().toMillis());
		return view;
	}

	/**
	 * Which node the primary is, when a topology source named it.
	 * @param primary the primary
	 * @return member and address, empty for a configured primary
	 */
	public static Map<String, @Nullable Object> member(PrimaryNode primary) {
		Map<String, @Nullable Object> view = new LinkedHashMap<>();
		if (primary.member() != null) {
			view.put("member", primary.member());
			view.put("address", primary.address());
		}
		return view;
	}

	/**
	 * A replica's state.
	 * @param replica the node
	 * @return status, available, streaming, lags, replay position, the last check's
	 * duration and error; for a discovered replica also its address and the source's lag
	 */
	public static Map<String, @Nullable Object> replica(ReplicaNode replica) {
		Map<String, @Nullable Object> view = new LinkedHashMap<>();
		view.put("status", replica.status());
		view.put("available", replica.isAvailable());
		view.put("streaming", replica.streaming());
		view.put("lagSeconds", round(replica.lagSeconds(), 100));
		view.put("lagBytes", Double.isNaN(replica.lagBytes()) ? null : (long) replica.lagBytes());
		long position = replica.position().replayed();
		// PostgreSQL: a WAL position (0/16B3748); MariaDB: the GTID sequence number its
		// replication reached in the primary's domain, as read-your-writes counts it.
		view.put("replayPosition", (position == 0) ? null
				: replica.pool().settings().isPostgres() ? WalPosition.format(position) : Long.toString(position));
		view.put("checkMs", round(replica.latencyMillis(), 100));
		view.put("error", replica.error());
		if (replica.address() != null) {
			view.put("address", replica.address());
			view.put("sourceLagBytes", replica.sourceLagBytes());
		}
		return view;
	}

	/**
	 * How big a pool may be and why.
	 * @param share its share
	 * @return the live maximum and why; with a fleet budget also the budget, reserve,
	 * instances, this instance, its ask, share and slots, and the refusals
	 */
	public static Map<String, @Nullable Object> share(PoolShare share) {
		Map<String, @Nullable Object> view = new LinkedHashMap<>();
		if (share.inFleet()) {
			view.put("budget", share.budget());
			view.put("reserve", share.reserve());
			view.put("instances", share.instances());
			view.put("instance", share.instance());
			view.put("wanted", share.wanted());
			view.put("share", share.share());
			view.put("slots", share.slots());
			view.put("refused", share.refused().sum());
		}
		view.put("liveMaximum", share.liveMaximum());
		view.put("reason", share.reason());
		view.put("changedMsAgo", System.currentTimeMillis() - share.changedAtMillis());
		return view;
	}

	/**
	 * Where a pool's login comes from and when it last changed; never a value.
	 * @param credentials the pool's live login
	 * @return source, generation, rotations, changedMsAgo (null before any change) and
	 * how many connections of an older login are still open
	 */
	public static Map<String, @Nullable Object> credentials(LiveCredentials credentials) {
		LiveCredentials.Generation generation = credentials.current();
		Map<String, @Nullable Object> view = new LinkedHashMap<>();
		view.put("source", credentials.source().describe());
		if (credentials.source().rotates()) {
			view.put("generation", generation.number());
			view.put("rotations", credentials.rotations());
			view.put("changedMsAgo",
					(generation.number() > 0) ? System.currentTimeMillis() - generation.changedAtMillis() : null);
			view.put("oldConnections", credentials.oldOpen());
		}
		return view;
	}

	/**
	 * Where the topology comes from.
	 * @param topology the snapshot
	 * @return version, source, from, reachable, error, lastAnswerMsAgo, refreshIntervalMs
	 */
	public static Map<String, @Nullable Object> topology(Topology topology) {
		SourceState source = topology.source();
		Map<String, @Nullable Object> view = new LinkedHashMap<>();
		view.put("version", topology.version());
		view.put("source", source.kind());
		view.put("from", source.description());
		if (topology.isDynamic()) {
			view.put("reachable", source.reachable());
			view.put("error", source.error());
			view.put("lastAnswerMsAgo",
					(source.lastAnswerMillis() != 0) ? System.currentTimeMillis() - source.lastAnswerMillis() : null);
			view.put("refreshIntervalMs", source.refreshMillis());
		}
		return view;
	}

	/**
	 * Rounds for display.
	 * @param value the value, NaN when unknown
	 * @param scale 100 for two decimals, 1000 for three
	 * @return the rounded value, or {@code null} when unknown
	 */
	public static @Nullable Double round(double value, int scale) {
		return Double.isNaN(value) ? null : Math.round(value * scale) / (double) scale;
	}

}
