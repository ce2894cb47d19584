package dev.pool.it;

import dev.pool.test.EmbeddedPostgresProperties;
import dev.pool.web.ConnectionUnavailableExceptionResolver;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExhaustionDisabledTest {

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		EmbeddedPostgresProperties.register(registry, "exhaustion_off_test");
		registry.add("app.datasource.exhaustion.enabled", () -> "false");
	}

	@Autowired
	ApplicationContext context;

	@Test
	void disabledMeansNoTranslator() {
		assertThat(this.context.getBeanNamesForType(ConnectionUnavailableExceptionResolver.class)).isEmpty();
	}

}
