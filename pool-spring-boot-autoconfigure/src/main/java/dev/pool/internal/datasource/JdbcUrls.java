package dev.pool.internal.datasource;

import java.util.regex.Pattern;

/**
 * Removes credentials from JDBC URLs before they are shown anywhere.
 */
public final class JdbcUrls {

	// user:password@ in the authority, and password/user-like query or property
	// parameters.
	private static final Pattern USER_INFO = Pattern.compile("(//)[^/@?;]*@");

	private static final Pattern SECRET_PARAMETER = Pattern
		.compile("(?i)([?&;](?:password|pwd|user|username|sslpassword|sslkey)=)[^&;]*");

	private JdbcUrls() {
	}

	/**
	 * Masks credentials in a JDBC URL.
	 * @param url the URL
	 * @return the URL with any user info and credential parameters replaced by
	 * {@code ******}
	 */
	public static String withoutCredentials(String url) {
		String masked = USER_INFO.matcher(url).replaceAll("$1******@");
		return SECRET_PARAMETER.matcher(masked).replaceAll("$1******");
	}

}
