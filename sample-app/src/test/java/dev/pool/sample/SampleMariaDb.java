package dev.pool.sample;

import java.util.ArrayList;
import java.util.List;

import dev.pool.test.EmbeddedMariaDbCluster;

/**
 * The sample's databases on an embedded MariaDB primary and GTID replicas: the
 * application's, one per tenant and the reporting pool's, as command-line arguments.
 */
final class SampleMariaDb {

	static final String DB = "sample";

	private SampleMariaDb() {
	}

	static List<String> arguments(EmbeddedMariaDbCluster cluster) {
		cluster.createDatabase(DB);
		for (String tenant : List.of("acme", "globex", "initech")) {
			cluster.createDatabase(DB + "_" + tenant);
		}
		cluster.awaitReplication();
		String user = EmbeddedMariaDbCluster.USERNAME;
		String password = EmbeddedMariaDbCluster.PASSWORD;
		List<String> arguments = new ArrayList<>();
		arguments.add("--app.datasource.primary.url=" + cluster.primary().jdbcUrl(DB));
		arguments.add("--app.datasource.primary.username=" + user);
		arguments.add("--app.datasource.primary.password=" + password);
		for (int i = 1; i <= cluster.replicas().size(); i++) {
			arguments.add("--app.datasource.replicas.replica-" + i + ".url=" + cluster.replica(i).jdbcUrl(DB));
		}
		arguments.add("--app.datasource.tenants.url-template=" + cluster.primary().jdbcUrl(DB + "_{tenant}"));
		arguments.add("--app.datasource.extra.reporting.url=" + cluster.primary().jdbcUrl(DB));
		arguments.add("--app.datasource.extra.reporting.username=" + user);
		arguments.add("--app.datasource.extra.reporting.password=" + password);
		return arguments;
	}

}
