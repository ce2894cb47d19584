package dev.pool.adoption;

import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.SharedEmbeddedPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application's PostgreSQL profile (spring.datasource.url,
 * spring.sql.init.mode=always), against a real PostgreSQL server.
 */
@SpringBootTest
@ActiveProfiles("postgres")
class PostgresProfileTests {

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		EmbeddedPostgresCluster cluster = SharedEmbeddedPostgres.withDatabase("clinic");
		registry.add("POSTGRES_URL", () -> cluster.primary().jdbcUrl("clinic"));
		registry.add("POSTGRES_USER", cluster::username);
		registry.add("POSTGRES_PASS", cluster::password);
	}

	@Autowired
	OwnerRepository owners;

	@Test
	void runsOnPostgres() {
		assertThat(this.owners.findByLastNameStartingWith("Davis")).extracting(Owner::getFirstName)
			.containsExactly("Betty");
	}

}
