package dev.pool.internal.consistency;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ReadYourWritesSupport}: a thread's own writes, tokens in and out,
 * their lifetime, through the time-based strategy (which needs no database).
 */
class ReadYourWritesSupportTests {

	private final TimeBasedConsistency consistency = new TimeBasedConsistency(Duration.ofSeconds(10),
			Duration.ofSeconds(60));

	private final ExecutorService other = Executors.newSingleThreadExecutor();

	@AfterEach
	void stop() {
		this.other.shutdown();
	}

	@Test
	void aThreadWithoutWritesHasNoTokenAndNoRequirement() {
		assertThat(this.consistency.currentToken()).isEmpty();
		assertThat(this.consistency.required()).isZero();
	}

	@Test
	void aWriteGivesTheThreadATokenAndAReadRequirementThatOtherThreadsDoNotShare() throws Exception {
		long before = System.currentTimeMillis();
		this.consistency.wroteOutsideTransaction(null);
		String token = this.consistency.currentToken().orElseThrow();
		ConsistencyToken parsed = ConsistencyToken.parse(token);
		assertThat(parsed).isNotNull();
		assertThat(parsed.position()).isZero();
		assertThat(parsed.issuedAtMillis()).isBetween(before, System.currentTimeMillis());
		assertThat(this.consistency.required()).isNotZero();
		assertThat(CompletableFuture.supplyAsync(this.consistency::required, this.other).get()).isZero();
		// The token carries the requirement to the other thread, for the work it runs
		// with it.
		assertThat(CompletableFuture
			.supplyAsync(() -> this.consistency.callWith(token, this.consistency::required), this.other)
			.get()).isNotZero();
		assertThat(CompletableFuture.supplyAsync(this.consistency::required, this.other).get()).isZero();
	}

	@Test
	void malformedExpiredFutureAndForeignTokensAreIgnored() {
		long now = System.currentTimeMillis();
		List<String> ignored = new ArrayList<>();
		for (String token : new String[] { "garbage", "v1.0." + (now - 61_000), "v1.0." + (now + 60_000),
				"v1.16B374D848." + now }) {
			if (this.consistency.callWith(token, this.consistency::required) == 0) {
				ignored.add(token);
			}
		}
		assertThat(ignored).hasSize(4);
		assertThat(this.consistency.callWith("v1.0." + now, this.consistency::required)).isNotZero();
	}

	@Test
	void aRequestStartsCleanAndHearsOfItsWrites() {
		this.consistency.wroteOutsideTransaction(null);
		List<String> issued = new ArrayList<>();
		assertThat(this.consistency.beginRequest(null, issued::add)).isFalse();
		assertThat(this.consistency.required()).as("nothing from an earlier request on this thread").isZero();
		this.consistency.wroteOutsideTransaction(null);
		assertThat(issued).singleElement().satisfies((token) -> assertThat(ConsistencyToken.parse(token)).isNotNull());
		this.consistency.endRequest();
		assertThat(this.consistency.currentToken()).isEmpty();
	}

	@Test
	void theTimeBasedRequirementEndsAfterItsWindow() {
		TimeBasedConsistency noWindow = new TimeBasedConsistency(Duration.ZERO, Duration.ofSeconds(60));
		noWindow.wroteOutsideTransaction(null);
		assertThat(noWindow.required()).isZero();
		assertThat(noWindow.currentToken()).isPresent();
	}

}
