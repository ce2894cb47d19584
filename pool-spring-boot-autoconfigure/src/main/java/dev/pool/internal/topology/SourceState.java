package dev.pool.internal.topology;

import org.jspecify.annotations.Nullable;

/**
 * Where the topology comes from and how its last read went.
 *
 * @param kind {@code static}, {@code patroni}, {@code dns} or {@code custom}
 * @param description what it reads (URLs, a DNS name), never a secret
 * @param reachable whether its last read answered
 * @param error why the last read failed, {@code null} when it answered
 * @param lastAnswerMillis when it last answered (epoch milliseconds), 0 never
 * @param refreshMillis the interval until the next read, as last scheduled; 0 for a
 * static topology, which is never read again
 */
public record SourceState(String kind, String description, boolean reachable, @Nullable String error,
		long lastAnswerMillis, long refreshMillis) {

	/** The nodes configured in the application's properties, never read again. */
	public static final SourceState STATIC = new SourceState("static", "app.datasource.primary and replicas", true,
			null, 0, 0);

	/**
	 * A source that just answered.
	 * @param refreshMillis the interval until its next read
	 * @return the changed state
	 */
	public SourceState answered(long refreshMillis) {
		return new SourceState(this.kind, this.description, true, null, System.currentTimeMillis(), refreshMillis);
	}

	/**
	 * A source that did not answer: the topology stays as it last was.
	 * @param why why, without secrets
	 * @param refreshMillis the interval until its next read
	 * @return the changed state
	 */
	public SourceState failed(String why, long refreshMillis) {
		return new SourceState(this.kind, this.description, false, why, this.lastAnswerMillis, refreshMillis);
	}

}
