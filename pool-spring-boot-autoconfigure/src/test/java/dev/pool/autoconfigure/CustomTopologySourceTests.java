package dev.pool.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.pool.TopologySource;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.internal.topology.ReplicaNode;
import dev.pool.test.EmbeddedPostgresCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The topology SPI: an application's own {@link TopologySource} bean (here one that reads
 * a file of {@code role name host port} lines, as a user's Consul or Kubernetes reader
 * would read its API) with {@code topology.source: custom} names the primary and the
 * replicas; a replica added to its answer joins read routing without a restart.
 */
class CustomTopologySourceTests {

	private static final String DB = "custom_topology";

	@TempDir
	Path directory;

	@Test
	void theApplicationsSourceNamesThePrimaryAndTheReplicas() throws Exception {
		EmbeddedPostgresCluster cluster = TestCluster.cluster(DB);
		Path nodes = this.directory.resolve("nodes");
		Files.writeString(nodes, "primary db-1 127.0.0.1 " + cluster.primary().port() + "\nreplica db-2 127.0.0.1 "
				+ cluster.replica(1).port() + "\n", StandardCharsets.UTF_8);
		new ApplicationContextRunner().withConfiguration(TestCluster.JDBC)
			.withBean(TopologySource.class, () -> new FileTopologySource(nodes))
			.withPropertyValues("app.datasource.topology.source=custom",
					"app.datasource.topology.url-template=jdbc:postgresql://{host}:{port}/" + DB,
					"app.datasource.topology.refresh-interval=200ms",
					"app.datasource.primary.username=" + cluster.username(),
					"app.datasource.primary.password=" + cluster.password(),
					"app.datasource.routing.health-check-interval=200ms")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				LiveTopology topology = context.getBean(LiveTopology.class);
				assertThat(topology.current().primary().member()).isEqualTo("db-1");
				assertThat(topology.current().source().kind()).isEqualTo("custom");
				DataSource dataSource = context.getBean(DataSource.class);
				assertThat(TestCluster.node(dataSource).isPrimary()).isTrue();
				// primaryDataSource follows the primary the source names.
				assertThat(TestCluster.node(context.getBean("primaryDataSource", DataSource.class)).isPrimary())
					.isTrue();
				Files.writeString(nodes, "replica db-3 127.0.0.1 " + cluster.replica(2).port() + "\n",
						StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
				await().atMost(10, TimeUnit.SECONDS)
					.pollInterval(Duration.ofMillis(20))
					.until(() -> topology.current().replicas().stream().anyMatch(ReplicaNode::isAvailable)
							&& topology.current().replica("db-3") != null
							&& topology.current().replica("db-3").isAvailable());
				assertThat(topology.current().replicas()).extracting(ReplicaNode::name).containsExactly("db-2", "db-3");
			});
	}

	/** Nodes from a file, one per line: {@code primary|replica name host port}. */
	static final class FileTopologySource implements TopologySource {

		private final Path file;

		FileTopologySource(Path file) {
			this.file = file;
		}

		@Override
		public Nodes read() throws Exception {
			Node primary = null;
			List<Node> replicas = new ArrayList<>();
			for (String line : Files.readAllLines(this.file, StandardCharsets.UTF_8)) {
				String[] parts = line.trim().split("\\s+");
				if (parts.length != 4) {
					continue;
				}
				Node node = new Node(parts[1], parts[2], Integer.parseInt(parts[3]), null);
				if (parts[0].equals("primary")) {
					primary = node;
				}
				else {
					replicas.add(node);
				}
			}
			return new Nodes(primary, replicas, Duration.ZERO);
		}

		@Override
		public String describe() {
			return "file " + this.file.getFileName();
		}

	}

}
