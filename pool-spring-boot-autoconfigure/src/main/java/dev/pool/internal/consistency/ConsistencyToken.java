package dev.pool.internal.consistency;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * What a client carries between requests: the position its writes reached, in the flavour
 * of the database that produced it (0 where positions are not read: a time-only token),
 * and when it was issued. Text form
 * {@code <flavour>.<position in hex>.<epoch milliseconds>}: only characters a cookie
 * value and a header allow, nothing secret.
 *
 * @param flavour what the position counts
 * @param position the position, 0 for a time-only token
 * @param issuedAtMillis when the write it covers committed
 */
public record ConsistencyToken(Flavour flavour, long position, long issuedAtMillis) {

	/**
	 * A PostgreSQL token (or a time-only one).
	 * @param position the WAL position, 0 for a time-only token
	 * @param issuedAtMillis when the write it covers committed
	 */
	public ConsistencyToken(long position, long issuedAtMillis) {
		this(Flavour.WAL, position, issuedAtMillis);
	}

	/**
	 * Reads a token.
	 * @param text the token as a client sent it
	 * @return the token, or {@code null} when the text is not one
	 */
	public static @Nullable ConsistencyToken parse(@Nullable String text) {
		// By hand, not with a pattern: every request carrying a token parses it.
		if (text == null || text.length() > 40 || text.length() < 3 || text.charAt(2) != '.') {
			return null;
		}
		Flavour flavour = Flavour.of(text);
		if (flavour == null) {
			return null;
		}
		int dot = text.indexOf('.', 3);
		if (dot < 4 || dot > 3 + 16 || text.length() - dot - 1 < 1 || text.length() - dot - 1 > 15) {
			return null;
		}
		long position = 0;
		for (int i = 3; i < dot; i++) {
			char c = text.charAt(i);
			int digit = (c >= '0' && c <= '9') ? c - '0' : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
			if (digit < 0) {
				return null;
			}
			position = (position << 4) | digit;
		}
		long issuedAt = 0;
		for (int i = dot + 1; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				return null;
			}
			issuedAt = issuedAt * 10 + (c - '0');
		}
		return new ConsistencyToken(flavour, position, issuedAt);
	}

	/**
	 * The text form.
	 * @return for example {@code v1.16B374D848.1763740000123}
	 */
	public String format() {
		return this.flavour.prefix + "." + Long.toHexString(this.position).toUpperCase(Locale.ROOT) + "."
				+ this.issuedAtMillis;
	}

	/**
	 * What a token's position counts, named by its first two characters, so a token from
	 * another kind of database is never compared with this one's positions.
	 */
	public enum Flavour {

		/** PostgreSQL: bytes of WAL from {@code 0/0}; also every time-only token. */
		WAL("v1"),

		/**
		 * MariaDB: the sequence number of a GTID in the primary's replication domain
		 * ({@code @@gtid_domain_id}).
		 */
		GTID("g1"),

		/**
		 * MySQL: the number of a transaction of the primary's {@code server_uuid} in its
		 * GTID set.
		 */
		MYSQL_GTID("m1");

		private final String prefix;

		Flavour(String prefix) {
			this.prefix = prefix;
		}

		// No values(): it copies an array, and every request with a token asks.
		private static @Nullable Flavour of(String text) {
			return text.startsWith(WAL.prefix) ? WAL
					: text.startsWith(GTID.prefix) ? GTID : text.startsWith(MYSQL_GTID.prefix) ? MYSQL_GTID : null;
		}

	}

}
