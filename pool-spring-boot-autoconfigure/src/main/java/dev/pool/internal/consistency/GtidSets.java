package dev.pool.internal.consistency;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Reads MySQL's GTID sets ({@code @@gtid_executed}: {@code uuid:1-77:79,uuid2:1-5}, with
 * line breaks after commas, and MySQL 8.4's tags, {@code uuid:tag:1-3}) for one source's
 * transactions, without regular expressions. Read when a replica is asked (at most every
 * 20 ms each) and after a write inside a web request, never per borrow.
 */
final class GtidSets {

	private GtidSets() {
	}

	/**
	 * The highest transaction number of one source in a set: on the primary, past every
	 * transaction it committed.
	 * @param set the GTID set
	 * @param uuid the source's {@code server_uuid}
	 * @return the number, 0 when the source has none in the set
	 */
	static long last(String set, String uuid) {
		long last = 0;
		for (long[] interval : new Intervals(set, uuid)) {
			last = Math.max(last, interval[1]);
		}
		return last;
	}

	/**
	 * How far one source's transactions are applied without a gap: the end of the
	 * interval that starts at 1, so every transaction up to it is in the set.
	 * @param set the GTID set
	 * @param uuid the source's {@code server_uuid}
	 * @return the number, 0 when the set lacks the source's first transaction
	 */
	static long contiguous(String set, String uuid) {
		for (long[] interval : new Intervals(set, uuid)) {
			if (interval[0] == 1) {
				return interval[1];
			}
		}
		return 0;
	}

	// The intervals of one source (untagged and tagged alike); malformed parts are
	// skipped, never guessed.
	private record Intervals(String set, String uuid) implements Iterable<long[]> {

		@Override
		public Iterator<long[]> iterator() {
			List<long[]> intervals = new ArrayList<>();
			String wanted = this.uuid.toLowerCase(Locale.ROOT);
			for (String element : this.set.split(",")) {
				String[] parts = element.trim().split(":");
				if (parts.length < 2 || !parts[0].trim().toLowerCase(Locale.ROOT).equals(wanted)) {
					continue;
				}
				for (int i = 1; i < parts.length; i++) {
					long[] interval = interval(parts[i].trim());
					if (interval != null) {
						intervals.add(interval);
					}
				}
			}
			return intervals.iterator();
		}

		private static long @Nullable [] interval(String text) {
			int dash = text.indexOf('-');
			try {
				long start = Long.parseLong((dash < 0) ? text : text.substring(0, dash));
				long end = (dash < 0) ? start : Long.parseLong(text.substring(dash + 1));
				return (start >= 1 && end >= start) ? new long[] { start, end } : null;
			}
			catch (NumberFormatException ex) {
				// A tag (letters), not an interval.
				return null;
			}
		}

	}

}
