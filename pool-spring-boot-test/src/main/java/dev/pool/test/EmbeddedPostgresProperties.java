package dev.pool.test;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Turns an {@link EmbeddedPostgresCluster} into {@code app.datasource.*} properties for
 * Spring tests and local runs.
 */
public final class EmbeddedPostgresProperties {

	private EmbeddedPostgresProperties() {
	}

	/**
	 * The starter's properties for one database on the cluster: the primary plus every
	 * replica as {@code replica-N}; replicas inherit the credentials.
	 */
	public static Map<String, String> of(EmbeddedPostgresCluster cluster, String database) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("app.datasource.primary.url", cluster.primary().jdbcUrl(database));
		properties.put("app.datasource.primary.username", cluster.username());
		properties.put("app.datasource.primary.password", cluster.password());
		for (PostgresNode replica : cluster.replicas()) {
			properties.put("app.datasource.replicas." + replica.name() + ".url", replica.jdbcUrl(database));
		}
		return properties;
	}

	/**
	 * Registers {@link #of} for a database on the shared cluster (created if absent), for
	 * a {@code @DynamicPropertySource} method.
	 */
	public static void register(DynamicPropertyRegistry registry, String database) {
		register(registry, SharedEmbeddedPostgres.withDatabase(database), database);
	}

	/**
	 * Registers {@link #of} for a database on a cluster of the test's own (one it may
	 * stop or kill), for a {@code @DynamicPropertySource} method.
	 */
	public static void register(DynamicPropertyRegistry registry, EmbeddedPostgresCluster cluster, String database) {
		of(cluster, database).forEach((name, value) -> registry.add(name, () -> value));
	}

}
