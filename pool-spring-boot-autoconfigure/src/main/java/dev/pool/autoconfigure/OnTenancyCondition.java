package dev.pool.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Tenancy is on when {@code app.datasource.tenants.mode} binds to a mode; an empty value
 * ({@code mode:} in YAML) means unset, as everywhere else under {@code app.datasource}.
 */
final class OnTenancyCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return Binder.get(context.getEnvironment())
			.bind("app.datasource.tenants.mode", PoolProperties.TenantMode.class)
			.map((mode) -> ConditionOutcome.match("app.datasource.tenants.mode is " + mode))
			.orElseGet(() -> ConditionOutcome.noMatch("app.datasource.tenants.mode is not set"));
	}

}
