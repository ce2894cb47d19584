package dev.pool.internal.datasource;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a primary that could not be reached at startup and how to proceed.
 */
class PoolStartupFailureAnalyzer extends AbstractFailureAnalyzer<PoolStartupException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, PoolStartupException cause) {
		return new FailureAnalysis(cause.getMessage(), "Check that the database at " + cause.getUrl()
				+ " is running and reachable and that the credentials in " + cause.getSource()
				+ " are right. To start without it, set " + "app.datasource.primary.initialization-fail-timeout to -1.",
				cause);
	}

}
