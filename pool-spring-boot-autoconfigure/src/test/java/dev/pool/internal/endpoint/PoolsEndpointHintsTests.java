package dev.pool.internal.endpoint;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the runtime hints {@link PoolsEndpoint} contributes to ahead-of-time
 * processing: a native image can serialize the diagnosis it returns.
 */
class PoolsEndpointHintsTests {

	@Test
	void theDiagnosisFindingsCanBeSerializedWithoutReflectionConfiguration() {
		RuntimeHints hints = new RuntimeHints();
		new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(hints, PoolsEndpoint.class);
		for (String accessor : new String[] { "pool", "level", "issue", "recommendation" }) {
			assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(PoolDiagnosis.Finding.class, accessor))
				.as(accessor)
				.accepts(hints);
		}
		// The endpoint's own operations, which Boot invokes reflectively.
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(PoolsEndpoint.class, "pools")).accepts(hints);
	}

}
