package dev.pool.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Read-your-writes is on: replicas are configured by name or come from a topology source
 * (which may bring some at any time, as the {@code readYourWrites} bean decides too), and
 * {@code app.datasource.consistency.read-your-writes} is not {@code false}.
 */
final class OnReadYourWritesCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		if (PoolBeanRegistrar.configuredReplicaNames(context.getEnvironment()).isEmpty()
				&& "static".equals(PoolBeanRegistrar.topologySource(context.getEnvironment()))) {
			return ConditionOutcome
				.noMatch("read-your-writes: no replica under app.datasource.replicas and a static topology");
		}
		boolean enabled = Binder.get(context.getEnvironment())
			.bind("app.datasource.consistency.read-your-writes", Boolean.class)
			.orElse(Boolean.TRUE);
		return enabled ? ConditionOutcome.match("read-your-writes: replicas configured or from a topology source")
				: ConditionOutcome.noMatch("read-your-writes: app.datasource.consistency.read-your-writes is false");
	}

}
