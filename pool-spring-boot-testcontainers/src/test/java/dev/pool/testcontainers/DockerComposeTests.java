package dev.pool.testcontainers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import dev.pool.internal.datasource.DataSourcePools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The project's compose file (docker/compose.yaml) under Spring Boot's Docker Compose
 * support: Boot's PostgreSQL support wires the primary, the starter the labelled replica
 * services (their environment and URL-parameter label read as Boot reads a primary's),
 * over properties that name other servers; reads reach the replicas.
 */
@RequiresDockerEngine
class DockerComposeTests {

	private static final String PROJECT = "pool-compose-test";

	private static final Path COMPOSE_FILE = Path.of("..", "docker", "compose.yaml").toAbsolutePath().normalize();

	@AfterAll
	static void removeTheServices() throws IOException, InterruptedException {
		Process down = new ProcessBuilder("docker", "compose", "--project-name", PROJECT, "--file",
				COMPOSE_FILE.toString(), "down", "--volumes", "--timeout", "1")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		assertThat(down.waitFor()).isZero();
	}

	@Test
	void theComposeFilesPrimaryAndLabelledReplicasBecomeThePools(@TempDir Path directory) throws IOException {
		Path env = Files.writeString(directory.resolve("compose.env"),
				"POOL_POSTGRES_IMAGE=" + TestImages.postgresName());
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ReplicaSetApp.class)
			.web(WebApplicationType.NONE)
			.properties("spring.docker.compose.file=" + COMPOSE_FILE, "spring.docker.compose.skip.in-tests=false",
					"spring.docker.compose.arguments=--env-file," + env + ",--project-name," + PROJECT,
					// Boot stops services in a JVM shutdown hook, which the test JVM may
					// not wait for: the test removes them itself.
					"spring.docker.compose.lifecycle-management=start-only",
					"app.datasource.replicas.replica-1.url=jdbc:postgresql://127.0.0.1:1/ignored",
					"app.datasource.replicas.replica-1.maximum-pool-size=2")
			.run()) {
			DataSourcePools pools = context.getBean(DataSourcePools.class);
			assertThat(Nodes.served(new JdbcTemplate(pools.dataSource("primary")))).isEqualTo("primary:false");
			assertThat(pools.dataSource("primary").getJdbcUrl()).endsWith("/app");
			for (String replica : new String[] { "replica-1", "replica-2" }) {
				assertThat(Nodes.served(new JdbcTemplate(pools.dataSource(replica)))).isEqualTo(replica + ":true");
			}
			assertThat(pools.dataSource("replica-1").getJdbcUrl()).doesNotContain("127.0.0.1:1/");
			assertThat(pools.dataSource("replica-1").getMaximumPoolSize()).isEqualTo(2);
			// replica-2 gives its login under Bitnami's POSTGRESQL_* keys and a URL
			// parameter under Boot's label, both read as Boot reads them for a primary.
			assertThat(new JdbcTemplate(pools.dataSource("replica-2")).queryForObject("SELECT current_database()",
					String.class))
				.as("POSTGRESQL_DATABASE")
				.isEqualTo("app");
			assertThat(new JdbcTemplate(pools.dataSource("replica-2")).queryForObject("SHOW statement_timeout",
					String.class))
				.isEqualTo("4321ms");
			assertThat(new JdbcTemplate(pools.dataSource("replica-1")).queryForObject("SHOW statement_timeout",
					String.class))
				.isEqualTo("0");

			ReplicaSetApp.Reads reads = context.getBean(ReplicaSetApp.Reads.class);
			Set<String> readers = new HashSet<>();
			for (int i = 0; i < 8; i++) {
				readers.add(reads.readOnly());
			}
			assertThat(readers).containsExactlyInAnyOrder("replica-1:true", "replica-2:true");
			assertThat(reads.write()).isEqualTo("primary:false");
		}
	}

}
