package dev.pool.internal.datasource;

import org.jspecify.annotations.Nullable;

/**
 * Reads MariaDB's and MySQL's {@code @@read_only}, a number (0, 1) up to MariaDB 11.7 and
 * on MySQL, an enumeration ({@code OFF}, {@code ON}, {@code NO_LOCK},
 * {@code NO_LOCK_NO_ADMIN}) from MariaDB 11.8.
 */
public final class ReadOnlySetting {

	private ReadOnlySetting() {
	}

	/**
	 * Whether the server is read-only.
	 * @param value {@code @@read_only} as text
	 * @return false only for {@code 0} and {@code OFF}; a server that answers nothing is
	 * taken for read-only
	 */
	public static boolean isOn(@Nullable String value) {
		return value == null || !(value.equals("0") || value.equalsIgnoreCase("OFF"));
	}

}
