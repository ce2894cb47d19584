package dev.pool.autoconfigure;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The starter takes the place of Boot's {@link DataSourceAutoConfiguration}: an
 * application that excludes that one (annotation {@code exclude}/{@code excludeName},
 * {@code spring.autoconfigure.exclude}, an {@code @ImportAutoConfiguration} exclusion)
 * wants no DataSource at all, so the starter's stays off too.
 * <p>
 * Boot records every exclusion in the condition evaluation report when it selects the
 * auto-configurations, before any of them is parsed, so the report is complete here.
 */
final class OnDataSourceNotExcludedCondition extends SpringBootCondition {

	private static final String DATA_SOURCE_AUTO_CONFIGURATION = DataSourceAutoConfiguration.class.getName();

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("DataSourceAutoConfiguration not excluded");
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		ConditionEvaluationReport report = (beanFactory != null) ? ConditionEvaluationReport.find(beanFactory) : null;
		if (report != null && report.getExclusions().contains(DATA_SOURCE_AUTO_CONFIGURATION)) {
			return ConditionOutcome.noMatch(message.because(
					"the application excludes " + DATA_SOURCE_AUTO_CONFIGURATION + ", whose place the starter takes"));
		}
		return ConditionOutcome.match(message.because("it is not excluded"));
	}

}
