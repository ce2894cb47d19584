package dev.pool.internal.routing;

/**
 * Why a connection went to the pool it went to; the {@code reason} tag of
 * {@code pool.routing.decisions}.
 */
public enum RoutingReason {

	/** Not a read-only request: the primary. */
	WRITE("write"),

	/** A read-only request served by the node chosen for it. */
	READ_ONLY("read-only"),

	/** A read-only request no replica could serve, sent to the primary. */
	FALLBACK("fallback"),

	/**
	 * A read-only request of a caller who has written, sent to the primary because no
	 * replica had replayed those writes yet.
	 */
	CONSISTENCY("consistency");

	private final String tag;

	RoutingReason(String tag) {
		this.tag = tag;
	}

	/**
	 * The value used in meter tags and JSON.
	 * @return the tag value
	 */
	public String tag() {
		return this.tag;
	}

}
