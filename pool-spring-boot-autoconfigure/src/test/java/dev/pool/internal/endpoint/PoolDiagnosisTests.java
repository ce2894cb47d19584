package dev.pool.internal.endpoint;

import java.time.Duration;
import java.util.List;

import dev.pool.internal.datasource.PoolSnapshot;
import dev.pool.internal.datasource.PoolSnapshot.Saturation;
import dev.pool.internal.endpoint.PoolDiagnosis.Finding;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PoolDiagnosis}'s rules.
 */
class PoolDiagnosisTests {

	private static final Duration LEAK_DETECTION_ON = Duration.ofSeconds(30);

	@Test
	void aQuietWellConfiguredPoolHasNoFindings() {
		assertThat(PoolDiagnosis.poolFindings("primary", snapshot(2, 0, 10), 2, 0, LEAK_DETECTION_ON)).isEmpty();
	}

	@Test
	void waitingThreadsAreAWarningThatNamesTheCount() {
		List<Finding> findings = PoolDiagnosis.poolFindings("primary", snapshot(4, 3, 10), 2, 0, LEAK_DETECTION_ON);
		assertThat(findings).singleElement().satisfies((finding) -> {
			assertThat(finding.pool()).isEqualTo("primary");
			assertThat(finding.level()).isEqualTo("WARNING");
			assertThat(finding.issue()).isEqualTo("3 threads are waiting for a connection");
			assertThat(finding.recommendation()).contains("maximum-pool-size");
		});
	}

	@Test
	void utilizationAboveEightyPercentAndAFullPoolAreWarnings() {
		assertThat(issues(PoolDiagnosis.poolFindings("primary", snapshot(9, 0, 10), 2, 0, LEAK_DETECTION_ON)))
			.containsExactly("Utilization is 90% (above 80%)");
		assertThat(issues(PoolDiagnosis.poolFindings("primary", snapshot(8, 0, 10), 2, 0, LEAK_DETECTION_ON)))
			.isEmpty();
		assertThat(issues(PoolDiagnosis.poolFindings("primary", snapshot(10, 0, 10), 2, 0, LEAK_DETECTION_ON)))
			.containsExactly("Utilization is 100% (above 80%)", "The pool is at its maximum (10 connections in use)");
	}

	@Test
	void coldStartsTimeoutsAndLeakDetectionOffAreReported() {
		List<Finding> findings = PoolDiagnosis.poolFindings("replica-1", snapshot(0, 0, 10), 0, 7, Duration.ZERO);
		assertThat(issues(findings)).containsExactly("minimum-idle is 0", "7 acquisitions timed out since start",
				"Leak detection is off");
		assertThat(findings).extracting(Finding::level).containsExactly("INFO", "WARNING", "INFO");
	}

	@Test
	void serverLimitIsInformationUpToEightyPercentAndAWarningAbove() {
		Finding fits = PoolDiagnosis.serverFinding("primary", "primary, replica-1", 100, 12, 80);
		assertThat(fits.level()).isEqualTo("INFO");
		assertThat(fits.issue()).isEqualTo(
				"Server max_connections is 100; this application's pools (primary, replica-1) may open up to 80 and hold 12 now");
		assertThat(fits.recommendation()).contains("keep instances x 80 below max_connections");
		Finding tight = PoolDiagnosis.serverFinding("primary", "primary", 100, 12, 81);
		assertThat(tight.level()).isEqualTo("WARNING");
		assertThat(tight.issue()).endsWith("more than 80% of the server's limit");
		assertThat(tight.recommendation()).contains("N instances need N x 81 connections");
	}

	private static PoolSnapshot snapshot(int active, int waiting, int max) {
		double utilization = (double) active / max;
		return new PoolSnapshot(active, active, 0, waiting, max, utilization, Saturation.of(utilization, waiting));
	}

	private static List<String> issues(List<Finding> findings) {
		return findings.stream().map(Finding::issue).toList();
	}

}
