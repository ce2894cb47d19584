package dev.pool.event;

import org.jspecify.annotations.Nullable;

/**
 * Writes go to another node now: a topology source named a new primary (a failover or a
 * switchover) and it accepts writes.
 */
public final class PrimaryChangedEvent extends PoolEvent {

	private static final long serialVersionUID = 1L;

	private final @Nullable String member;

	private final String url;

	/**
	 * @param pool the new primary's pool ({@code primary})
	 * @param member the source's name for the node, or {@code null}
	 * @param url the node's JDBC URL without credentials
	 */
	public PrimaryChangedEvent(String pool, @Nullable String member, String url) {
		super(pool);
		this.member = member;
		this.url = url;
	}

	/**
	 * The node's name in the source (a Patroni member).
	 * @return the name, or {@code null}
	 */
	public @Nullable String getMember() {
		return this.member;
	}

	/**
	 * The new primary's JDBC URL, without credentials.
	 * @return the URL
	 */
	public String getUrl() {
		return this.url;
	}

	@Override
	protected String details() {
		return ", member=" + this.member + ", url=" + this.url;
	}

}
