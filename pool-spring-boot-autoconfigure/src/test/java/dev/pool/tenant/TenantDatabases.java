package dev.pool.tenant;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

import dev.pool.test.EmbeddedPostgresCluster;

/**
 * Creates tenant databases on the shared cluster's primary in one go (tenant pools are
 * primary-only, so no replica needs to have them).
 */
final class TenantDatabases {

	private TenantDatabases() {
	}

	static void create(EmbeddedPostgresCluster cluster, Collection<String> databases) {
		try (Connection connection = cluster.primary().connect("postgres");
				Statement statement = connection.createStatement()) {
			Set<String> existing = new HashSet<>();
			try (ResultSet rs = statement.executeQuery("SELECT datname FROM pg_database")) {
				while (rs.next()) {
					existing.add(rs.getString(1));
				}
			}
			for (String database : databases) {
				if (!database.matches("[a-z0-9_]+")) {
					throw new IllegalArgumentException(database);
				}
				if (!existing.contains(database)) {
					statement.execute("CREATE DATABASE " + database);
				}
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static void execute(EmbeddedPostgresCluster cluster, String database, String sql) {
		try (Connection connection = cluster.primary().connect(database);
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static long count(EmbeddedPostgresCluster cluster, String database, String sql) {
		try (Connection connection = cluster.primary().connect(database);
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
