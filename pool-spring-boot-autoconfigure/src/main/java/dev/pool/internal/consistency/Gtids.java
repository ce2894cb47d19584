package dev.pool.internal.consistency;

/**
 * Reads MariaDB's GTIDs ({@code domain-server-sequence}) and GTID lists (one per domain,
 * comma-separated, as {@code @@gtid_binlog_pos} and {@code @@gtid_slave_pos} give them)
 * without regular expressions: positions are read on reads' and writes' paths.
 */
final class Gtids {

	/** What {@link #sequence} answers when the text has no GTID of the domain. */
	static final long ABSENT = -1;

	private Gtids() {
	}

	/**
	 * The sequence number of the GTID of one domain in a GTID or GTID list.
	 * @param text for example {@code 0-1-42} or {@code 0-1-42,1-2-7}; may be empty
	 * @param domain the replication domain
	 * @return the sequence number, {@link #ABSENT} when the domain is not there or the
	 * text is not a GTID list
	 */
	static long sequence(String text, long domain) {
		int start = 0;
		int length = text.length();
		while (start < length) {
			// A list may be printed with a space or a line break after each comma.
			while (start < length && Character.isWhitespace(text.charAt(start))) {
				start++;
			}
			int end = text.indexOf(',', start);
			if (end < 0) {
				end = length;
			}
			int first = text.indexOf('-', start);
			int second = (first < 0) ? -1 : text.indexOf('-', first + 1);
			if (first > start && second > first + 1 && second < end - 1 && number(text, start, first) == domain) {
				return number(text, second + 1, end);
			}
			start = end + 1;
		}
		return ABSENT;
	}

	/**
	 * The domain of a single GTID.
	 * @param gtid for example {@code 0-1-42}; may be empty
	 * @return the domain, {@link #ABSENT} when the text is not a GTID
	 */
	static long domain(String gtid) {
		int first = gtid.indexOf('-');
		return (first > 0) ? number(gtid, 0, first) : ABSENT;
	}

	// A decimal number, ABSENT when the text is not one (or is beyond a long: such a
	// sequence number is no position this starter can compare).
	private static long number(String text, int from, int to) {
		if (from >= to || to - from > 18) {
			return ABSENT;
		}
		long value = 0;
		for (int i = from; i < to; i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				return ABSENT;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

}
