package dev.pool.internal.datasource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

/**
 * A pool's live counts at one moment, with its utilization and saturation level.
 *
 * @param total connections open
 * @param active connections in use
 * @param idle connections waiting in the pool
 * @param waiting threads waiting for a connection
 * @param max maximum pool size
 * @param utilization active divided by max
 * @param saturation OK, WARNING or CRITICAL
 */
public record PoolSnapshot(int total, int active, int idle, int waiting, int max, double utilization,
		Saturation saturation) {

	/** Reads the pool's counts; all zero (and OK) while the pool has not started. */
	public static PoolSnapshot of(HikariDataSource pool) {
		return of(pool, 0);
	}

	/**
	 * Reads the pool's counts, leaving out threads HikariCP counts as waiting that are
	 * not the application's.
	 * @param pool the pool
	 * @param notCallers waiting threads that are the starter's own (a resize's nudges)
	 * @return the counts
	 */
	static PoolSnapshot of(HikariDataSource pool, int notCallers) {
		HikariPoolMXBean mxBean = pool.getHikariPoolMXBean();
		int max = pool.getHikariConfigMXBean().getMaximumPoolSize();
		if (mxBean == null) {
			return new PoolSnapshot(0, 0, 0, 0, max, 0, Saturation.OK);
		}
		int active = mxBean.getActiveConnections();
		int waiting = Math.max(0, mxBean.getThreadsAwaitingConnection() - notCallers);
		double utilization = (max > 0) ? (double) active / max : 0;
		return new PoolSnapshot(mxBean.getTotalConnections(), active, mxBean.getIdleConnections(), waiting, max,
				utilization, Saturation.of(utilization, waiting));
	}

	/**
	 * How close a pool is to exhaustion; never turns health DOWN.
	 */
	public enum Saturation {

		/** Utilization at most 0.7 and nobody waiting. */
		OK,

		/** Utilization above 0.7, or threads waiting. */
		WARNING,

		/** Utilization above 0.9, or more than 5 threads waiting. */
		CRITICAL;

		/** The level for the given utilization and waiting threads. */
		public static Saturation of(double utilization, int waiting) {
			if (utilization > 0.9 || waiting > 5) {
				return CRITICAL;
			}
			if (utilization > 0.7 || waiting > 0) {
				return WARNING;
			}
			return OK;
		}

	}

}
