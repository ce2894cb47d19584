package dev.pool.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * Whether routed borrows are observed: as {@code app.datasource.observations.enabled}
 * says, else when Micrometer Tracing is on the class path. An observation costs a borrow
 * a few hundred nanoseconds, and Actuator alone (an ObservationRegistry with only its
 * meter handler) would gain nothing from it that {@code hikaricp.connections.acquire}
 * does not already time; a trace gains the node that served.
 */
final class OnBorrowObservationCondition extends SpringBootCondition {

	private static final String PROPERTY = "app.datasource.observations.enabled";

	private static final String TRACER = "io.micrometer.tracing.Tracer";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("Borrow observations");
		Boolean enabled = context.getEnvironment().getProperty(PROPERTY, Boolean.class);
		if (enabled != null) {
			return enabled ? ConditionOutcome.match(message.because(PROPERTY + " is true"))
					: ConditionOutcome.noMatch(message.because(PROPERTY + " is false"));
		}
		return ClassUtils.isPresent(TRACER, context.getClassLoader())
				? ConditionOutcome.match(message.because("Micrometer Tracing is present"))
				: ConditionOutcome.noMatch(message.because("neither " + PROPERTY + " nor Micrometer Tracing"));
	}

}
