package dev.pool.internal.consistency;

import org.jspecify.annotations.Nullable;

/**
 * What a client carries between requests: the WAL position its writes reached (0 on
 * databases whose positions are not read) and when it was issued. Text form
 * {@code v1.<position in hex>.<epoch
 * milliseconds>}: only characters a cookie value and a header allow, nothing secret.
 *
 * @param position the WAL position, 0 for a time-only token
 * @param issuedAtMillis when the write it covers committed
 */
public record ConsistencyToken(long position, long issuedAtMillis) {

	/**
	 * Reads a token.
	 * @param text the token as a client sent it
	 * @return the token, or {@code null} when the text is not one
	 */
	public static @Nullable ConsistencyToken parse(@Nullable String text) {
		// By hand, not with a pattern: every request carrying a token parses it.
		if (text == null || text.length() > 40 || !text.startsWith("v1.")) {
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
		return new ConsistencyToken(position, issuedAt);
	}

	/**
	 * The text form.
	 * @return for example {@code v1.16B374D848.1763740000123}
	 */
	public String format() {
		return "v1." + Long.toHexString(this.position).toUpperCase(java.util.Locale.ROOT) + "." + this.issuedAtMillis;
	}

}
