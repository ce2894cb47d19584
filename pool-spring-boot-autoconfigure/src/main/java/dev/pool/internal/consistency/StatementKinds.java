package dev.pool.internal.consistency;

/**
 * Tells, from its first keyword, whether a statement about to run outside a transaction
 * can change data, so a primary connection that only read costs no position query.
 * Unknown statements count as writes; a {@code SELECT} calling a function that writes
 * does not.
 */
public final class StatementKinds {

	private static final String[] READS = { "SELECT", "SHOW", "VALUES", "TABLE", "SET", "RESET" };

	private StatementKinds() {
	}

	/**
	 * Whether a statement may change data.
	 * @param sql the statement
	 * @return false only for statements that read (or set session state)
	 */
	public static boolean mayWrite(String sql) {
		int start = skipSpaceAndComments(sql, 0);
		for (String keyword : READS) {
			if (startsWithWord(sql, start, keyword)) {
				return false;
			}
		}
		if (startsWithWord(sql, start, "EXPLAIN")) {
			// EXPLAIN ANALYZE runs the statement it explains; an option list may ask for
			// it.
			int next = start + "EXPLAIN".length();
			while (next < sql.length() && Character.isWhitespace(sql.charAt(next))) {
				next++;
			}
			return sql.startsWith("(", next) || startsWithWord(sql, next, "ANALYZE");
		}
		return true;
	}

	private static int skipSpaceAndComments(String sql, int from) {
		int i = from;
		while (i < sql.length()) {
			char c = sql.charAt(i);
			if (Character.isWhitespace(c) || c == '(') {
				i++;
			}
			else if (sql.startsWith("--", i)) {
				int end = sql.indexOf('\n', i);
				i = (end < 0) ? sql.length() : end + 1;
			}
			else if (sql.startsWith("/*", i)) {
				int end = sql.indexOf("*/", i + 2);
				i = (end < 0) ? sql.length() : end + 2;
			}
			else {
				break;
			}
		}
		return i;
	}

	private static boolean startsWithWord(String sql, int start, String word) {
		if (!sql.regionMatches(true, start, word, 0, word.length())) {
			return false;
		}
		int end = start + word.length();
		return end == sql.length() || !Character.isLetterOrDigit(sql.charAt(end)) && sql.charAt(end) != '_';
	}

}
