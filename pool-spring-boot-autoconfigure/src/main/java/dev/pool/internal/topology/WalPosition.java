package dev.pool.internal.topology;

import java.util.Locale;

/**
 * PostgreSQL WAL positions, handled as numbers (bytes from {@code 0/0}) so comparing two
 * costs nothing, and written in PostgreSQL's own form for people.
 */
public final class WalPosition {

	private WalPosition() {
	}

	/**
	 * Writes PostgreSQL's text form.
	 * @param position a position in bytes from {@code 0/0}
	 * @return for example {@code 16/B374D848}
	 */
	public static String format(long position) {
		return Long.toHexString(position >>> 32).toUpperCase(Locale.ROOT) + "/"
				+ Long.toHexString(position & 0xFFFFFFFFL).toUpperCase(Locale.ROOT);
	}

}
