package dev.pool.it;

import dev.pool.test.EmbeddedPostgresProperties;
import dev.pool.test.SharedEmbeddedPostgres;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The exhaustion suite on PostgreSQL.
 */
class ExhaustionTests extends AbstractExhaustionTests {

	private static final String DB = "exhaustion_test";

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		EmbeddedPostgresProperties.register(registry, DB);
		registry.add("app.datasource.primary.maximum-pool-size", () -> "2");
		registry.add("app.datasource.primary.connection-timeout", () -> "1s");
		registry.add("app.datasource.exhaustion.retry-after", () -> "3s");
		registry.add("management.endpoints.web.exposure.include", () -> "metrics");
	}

	@Override
	String password() {
		return SharedEmbeddedPostgres.cluster().password();
	}

	@Override
	String[] deadlockAndQueryTimeout() {
		return new String[] { "40P01", "57014" };
	}

}
