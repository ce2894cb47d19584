package dev.pool.internal.endpoint;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pool.internal.datasource.JdbcUrls;
import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.probe.NodeProbe;
import org.jspecify.annotations.Nullable;

/**
 * What a PostgreSQL server can still give: its connection limit, the slots reserved for
 * superusers, and the sessions open on it now, read over one probe connection per server.
 */
final class ServerConnections {

	private static final String QUERY = "SELECT current_setting('max_connections')::int, "
			+ "current_setting('superuser_reserved_connections')::int "
			+ "+ coalesce(current_setting('reserved_connections', true)::int, 0), "
			+ "(SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' "
			+ "AND pid <> pg_backend_pid()), "
			+ "(SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND application_name LIKE ?)";

	private ServerConnections() {
	}

	/**
	 * The starter's pools grouped by the PostgreSQL server they connect to; other
	 * databases are left out.
	 * @param pools every pool
	 * @return pools by server ({@code host:port}), in pool order
	 */
	static Map<String, List<ManagedPool>> byServer(List<ManagedPool> pools) {
		Map<String, List<ManagedPool>> byServer = new LinkedHashMap<>();
		for (ManagedPool pool : pools) {
			if (pool.settings().isPostgres()) {
				byServer.computeIfAbsent(server(pool.settings().url()), (key) -> new ArrayList<>()).add(pool);
			}
		}
		return byServer;
	}

	/**
	 * The server a PostgreSQL or MariaDB JDBC URL points at, as the driver reads the URL.
	 * @param url a JDBC URL
	 * @return {@code host:port}, or every {@code host:port} of a multi-host URL joined by
	 * commas (the pool connects to one of them), or the masked URL itself when the driver
	 * cannot read it
	 */
	static String server(String url) {
		List<String> hosts = JdbcUrls.hosts(url);
		return hosts.isEmpty() ? JdbcUrls.withoutCredentials(url) : String.join(",", hosts);
	}

	/**
	 * Reads the server's limits and sessions through a probe connection.
	 * @param probe a probe of a pool on the server
	 * @param applicationName the prefix of this application's connections'
	 * application_name
	 * @return the facts
	 * @throws SQLException when the server cannot be reached or read
	 */
	static Limits read(NodeProbe probe, String applicationName) throws SQLException {
		String pattern = applicationName.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + ":%";
		List<@Nullable Object> row = probe.queryFirstRow(QUERY, pattern);
		return new Limits(number(row, 0), number(row, 1), number(row, 2), number(row, 3));
	}

	private static int number(List<@Nullable Object> row, int index) {
		Object value = (row.size() > index) ? row.get(index) : null;
		if (!(value instanceof Number number)) {
			throw new IllegalStateException("The server answered no value for column " + (index + 1));
		}
		return number.intValue();
	}

	/**
	 * A server's connection facts.
	 *
	 * @param maxConnections {@code max_connections}
	 * @param reserved slots only superusers (or reserved roles) may use
	 * @param sessions client sessions open now, the probe's own excluded
	 * @param heldByApplication of those, the ones this application's pools hold
	 */
	record Limits(int maxConnections, int reserved, int sessions, int heldByApplication) {
	}

}
