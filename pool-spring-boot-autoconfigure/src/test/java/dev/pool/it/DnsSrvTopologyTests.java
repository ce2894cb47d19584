package dev.pool.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.pool.autoconfigure.PoolAutoConfiguration;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.internal.topology.ReplicaNode;
import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.SharedEmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The replicas from DNS SRV records (as a Kubernetes headless service publishes them):
 * each target and port is a replica, named after its target, the target's address
 * resolved by the same DNS server.
 */
@ExtendWith(OutputCaptureExtension.class)
class DnsSrvTopologyTests {

	private static final String DB = "dns_srv_topology";

	private static final String SERVICE = "_postgresql._tcp.replicas.pool.test";

	@Test
	void eachSrvTargetIsAReplica() throws Exception {
		EmbeddedPostgresCluster cluster = SharedEmbeddedPostgres.withDatabase(DB);
		try (Dnsmasq dns = new Dnsmasq(0)) {
			dns.hosts(List.of("127.0.0.1 r1.pool.test", "127.0.0.1 r2.pool.test"));
			dns.srv(List.of(SERVICE + ",r1.pool.test," + cluster.replica(1).port(),
					SERVICE + ",r2.pool.test," + cluster.replica(2).port()));
			dns.restart();
			new ApplicationContextRunner()
				.withConfiguration(
						AutoConfigurations.of(PoolAutoConfiguration.class, DataSourceAutoConfiguration.class))
				.withPropertyValues("app.datasource.primary.url=" + cluster.primary().jdbcUrl(DB),
						"app.datasource.primary.username=" + cluster.username(),
						"app.datasource.primary.password=" + cluster.password(), "app.datasource.topology.source=dns",
						"app.datasource.topology.dns.record-type=srv", "app.datasource.topology.dns.name=" + SERVICE,
						"app.datasource.topology.dns.resolver=" + dns.resolver(),
						"app.datasource.topology.url-template=jdbc:postgresql://{host}:{port}/" + DB,
						"app.datasource.routing.health-check-interval=300ms")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					LiveTopology topology = context.getBean(LiveTopology.class);
					assertThat(topology.current().source().description()).contains("SRV " + SERVICE);
					assertThat(topology.current().replicas()).extracting(ReplicaNode::name)
						.containsExactly("r1.pool.test", "r2.pool.test");
					assertThat(topology.current().replicas()).extracting(ReplicaNode::address)
						.containsExactly("127.0.0.1:" + cluster.replica(1).port(),
								"127.0.0.1:" + cluster.replica(2).port());
					DataSource dataSource = context.getBean(DataSource.class);
					Set<Integer> ports = ConcurrentHashMap.newKeySet();
					await().atMost(20, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
						try (Connection connection = dataSource.getConnection()) {
							connection.setReadOnly(true);
							try (Statement statement = connection.createStatement();
									ResultSet rs = statement.executeQuery("SELECT inet_server_port()")) {
								rs.next();
								ports.add(rs.getInt(1));
							}
						}
						assertThat(ports).containsAll(Set.of(cluster.replica(1).port(), cluster.replica(2).port()));
					});
				});
		}
	}

	@Test
	void moreReplicasThanMaxReplicasTakesTheFirstByNameAndSaysSo(CapturedOutput output) throws Exception {
		EmbeddedPostgresCluster cluster = SharedEmbeddedPostgres.withDatabase(DB);
		try (Dnsmasq dns = new Dnsmasq(0)) {
			dns.hosts(List.of("127.0.0.1 r1.pool.test", "127.0.0.1 r2.pool.test"));
			dns.srv(List.of(SERVICE + ",r2.pool.test," + cluster.replica(2).port(),
					SERVICE + ",r1.pool.test," + cluster.replica(1).port()));
			dns.restart();
			new ApplicationContextRunner()
				.withConfiguration(
						AutoConfigurations.of(PoolAutoConfiguration.class, DataSourceAutoConfiguration.class))
				.withPropertyValues("app.datasource.primary.url=" + cluster.primary().jdbcUrl(DB),
						"app.datasource.primary.username=" + cluster.username(),
						"app.datasource.primary.password=" + cluster.password(), "app.datasource.topology.source=dns",
						"app.datasource.topology.dns.record-type=srv", "app.datasource.topology.dns.name=" + SERVICE,
						"app.datasource.topology.dns.resolver=" + dns.resolver(),
						"app.datasource.topology.max-replicas=1",
						"app.datasource.topology.url-template=jdbc:postgresql://{host}:{port}/" + DB)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context.getBean(LiveTopology.class).current().replicas()).extracting(ReplicaNode::name)
						.containsExactly("r1.pool.test");
					assertThat(output).contains("more than app.datasource.topology.max-replicas (1)");
				});
		}
	}

}
