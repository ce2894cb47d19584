package dev.pool.testcontainers;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Runs a test class only where a Docker engine answers; where none does, the build says
 * so in one line (once per run) and reports the classes as skipped.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresDockerEngine.Condition.class)
@interface RequiresDockerEngine {

	final class Condition implements ExecutionCondition {

		private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
			.create(RequiresDockerEngine.class);

		@Override
		public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
			boolean available = context.getRoot()
				.getStore(NAMESPACE)
				.computeIfAbsent("available", (key) -> check(), Boolean.class);
			return available ? ConditionEvaluationResult.enabled("a Docker engine answers")
					: ConditionEvaluationResult.disabled("no Docker engine is reachable");
		}

		private static boolean check() {
			boolean available = DockerClientFactory.instance().isDockerAvailable();
			if (!available) {
				System.out.println("[pool] No Docker engine is reachable: the Testcontainers and Docker Compose "
						+ "tests (pool-spring-boot-testcontainers) are skipped; docker/engine.sh starts one.");
			}
			return available;
		}

	}

}
