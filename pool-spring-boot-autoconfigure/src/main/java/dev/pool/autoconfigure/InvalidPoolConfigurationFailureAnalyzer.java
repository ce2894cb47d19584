package dev.pool.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link InvalidPoolConfigurationException} into a startup report that names the
 * property and the fix.
 */
class InvalidPoolConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidPoolConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidPoolConfigurationException cause) {
		return new FailureAnalysis("Invalid connection pool configuration: " + cause.getMessage(), cause.getAction(),
				cause);
	}

}
