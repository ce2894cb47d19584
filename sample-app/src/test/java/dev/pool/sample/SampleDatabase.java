package dev.pool.sample;

import java.util.List;

import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.EmbeddedPostgresProperties;
import dev.pool.test.SharedEmbeddedPostgres;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The sample's databases on the shared embedded cluster, as its tests run it: the
 * application's, one per tenant and the reporting pool's, with a small primary pool that
 * times out in a second so an exhaustion is quick to make.
 */
final class SampleDatabase {

	private SampleDatabase() {
	}

	static void register(DynamicPropertyRegistry registry, String database) {
		EmbeddedPostgresProperties.register(registry, database);
		registry.add("app.datasource.primary.maximum-pool-size", () -> "4");
		registry.add("app.datasource.primary.connection-timeout", () -> "1s");
		registry.add("app.datasource.drain.timeout", () -> "2s");
		EmbeddedPostgresCluster cluster = SharedEmbeddedPostgres.cluster();
		for (String tenant : List.of("acme", "globex", "initech")) {
			cluster.createDatabaseIfAbsent(database + "_" + tenant);
		}
		registry.add("app.datasource.tenants.url-template", () -> cluster.primary().jdbcUrl(database + "_{tenant}"));
		registry.add("app.datasource.extra.reporting.url", () -> cluster.primary().jdbcUrl(database));
		registry.add("app.datasource.extra.reporting.username", cluster::username);
		registry.add("app.datasource.extra.reporting.password", cluster::password);
	}

}
