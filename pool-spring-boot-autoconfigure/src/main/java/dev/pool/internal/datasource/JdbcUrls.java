package dev.pool.internal.datasource;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

import org.springframework.util.ClassUtils;

/**
 * Reads and masks JDBC URLs: credentials removed before a URL is shown anywhere, and a
 * PostgreSQL URL's servers as the driver itself reads them.
 */
public final class JdbcUrls {

	// user:password@ in the authority, and password/user-like query or property
	// parameters.
	private static final Pattern USER_INFO = Pattern.compile("(//)[^/@?;]*@");

	private static final Pattern SECRET_PARAMETER = Pattern
		.compile("(?i)([?&;](?:password|pwd|user|username|sslpassword|sslkey)=)[^&;]*");

	private static final boolean POSTGRES_DRIVER = ClassUtils.isPresent("org.postgresql.Driver",
			JdbcUrls.class.getClassLoader());

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

	/**
	 * The servers a PostgreSQL JDBC URL names, parsed by the PostgreSQL driver (so
	 * multi-host URLs, IPv6 literals and default ports read as the driver reads them).
	 * @param url a JDBC URL
	 * @return each {@code host:port}, in the URL's order; empty for another database, a
	 * URL the driver rejects, or without the driver
	 */
	public static List<String> postgresHosts(String url) {
		if (!POSTGRES_DRIVER || !url.startsWith("jdbc:postgresql:")) {
			return List.of();
		}
		return PostgresDriver.hosts(url);
	}

	// Loaded only when the driver is present.
	private static final class PostgresDriver {

		static List<String> hosts(String url) {
			Properties parsed = org.postgresql.Driver.parseURL(url, null);
			if (parsed == null) {
				return List.of();
			}
			String[] hosts = parsed.getProperty("PGHOST", "").split(",");
			String[] ports = parsed.getProperty("PGPORT", "").split(",");
			List<String> servers = new ArrayList<>(hosts.length);
			for (int i = 0; i < hosts.length; i++) {
				String port = (i < ports.length && !ports[i].isEmpty()) ? ports[i] : "5432";
				servers.add(hosts[i] + ":" + port);
			}
			return servers;
		}

	}

}
