package dev.pool.test;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension that injects the JVM-wide {@link SharedEmbeddedPostgres shared cluster}
 * into test constructors, lifecycle methods and test methods declaring an
 * {@link EmbeddedPostgresCluster} parameter.
 */
public final class EmbeddedPostgresExtension implements ParameterResolver {

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == EmbeddedPostgresCluster.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return SharedEmbeddedPostgres.cluster();
	}

}
