package dev.pool.internal.datasource;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

import org.springframework.util.ClassUtils;

/**
 * Reads and masks JDBC URLs: credentials removed before a URL is shown anywhere, and a
 * PostgreSQL, MariaDB or MySQL URL's servers as the driver itself reads them.
 */
public final class JdbcUrls {

	// user:password@ in the authority, and password/user-like query or property
	// parameters.
	private static final Pattern USER_INFO = Pattern.compile("(//)[^/@?;]*@");

	private static final Pattern SECRET_PARAMETER = Pattern
		.compile("(?i)([?&;](?:password|pwd|user|username|sslpassword|sslkey)=)[^&;]*");

	private static final boolean POSTGRES_DRIVER = ClassUtils.isPresent("org.postgresql.Driver",
			JdbcUrls.class.getClassLoader());

	private static final boolean MARIADB_DRIVER = ClassUtils.isPresent("org.mariadb.jdbc.Configuration",
			JdbcUrls.class.getClassLoader());

	private static final boolean MYSQL_DRIVER = ClassUtils.isPresent("com.mysql.cj.conf.ConnectionUrl",
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
	 * The servers a PostgreSQL, MariaDB or MySQL JDBC URL names, parsed by that
	 * database's driver (so multi-host URLs, IPv6 literals and default ports read as the
	 * driver reads them).
	 * @param url a JDBC URL
	 * @return each {@code host:port}, in the URL's order; empty for another database, a
	 * URL the driver rejects, or without the driver
	 */
	public static List<String> hosts(String url) {
		if (POSTGRES_DRIVER && url.startsWith("jdbc:postgresql:")) {
			return PostgresDriver.hosts(url);
		}
		if (MARIADB_DRIVER && url.startsWith("jdbc:mariadb:")) {
			return MariaDbDriver.hosts(url);
		}
		if (MYSQL_DRIVER && url.startsWith("jdbc:mysql:")) {
			return MySqlDriver.hosts(url);
		}
		return List.of();
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

	// Loaded only when the driver is present.
	private static final class MariaDbDriver {

		static List<String> hosts(String url) {
			org.mariadb.jdbc.Configuration parsed;
			try {
				parsed = org.mariadb.jdbc.Configuration.parse(url);
			}
			catch (java.sql.SQLException ex) {
				return List.of();
			}
			if (parsed == null) {
				return List.of();
			}
			List<String> servers = new ArrayList<>(parsed.addresses().size());
			for (org.mariadb.jdbc.HostAddress address : parsed.addresses()) {
				if (address.host != null) {
					servers.add(address.host + ":" + address.port);
				}
			}
			return servers;
		}

	}

	// Loaded only when the driver is present.
	private static final class MySqlDriver {

		static List<String> hosts(String url) {
			List<com.mysql.cj.conf.HostInfo> parsed;
			try {
				parsed = com.mysql.cj.conf.ConnectionUrl.getConnectionUrlInstance(url, null).getHostsList();
			}
			catch (RuntimeException ex) {
				// Connector/J rejects the URL with its own unchecked exceptions.
				return List.of();
			}
			List<String> servers = new ArrayList<>(parsed.size());
			for (com.mysql.cj.conf.HostInfo host : parsed) {
				servers.add(host.getHost() + ":" + host.getPort());
			}
			return servers;
		}

	}

}
