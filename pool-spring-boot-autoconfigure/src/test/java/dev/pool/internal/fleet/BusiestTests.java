package dev.pool.internal.fleet;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link FleetMember.Busiest}: the most connections in use over a sliding
 * window, which adaptive sizing shrinks to.
 */
class BusiestTests {

	private static final long SECOND = Duration.ofSeconds(1).toNanos();

	@Test
	void remembersThePeakForAWindowThenForgetsIt() {
		FleetMember.Busiest busiest = new FleetMember.Busiest(8 * SECOND);
		long start = System.nanoTime();
		busiest.record(start, 10);
		busiest.record(start + 3 * SECOND, 2);
		assertThat(busiest.max()).isEqualTo(10);
		busiest.record(start + 7 * SECOND, 2);
		assertThat(busiest.max()).isEqualTo(10);
		// Nine seconds on, the peak's bucket has left the eight-second window.
		busiest.record(start + 9 * SECOND + SECOND / 2, 2);
		assertThat(busiest.max()).isEqualTo(2);
	}

	@Test
	void aLongSilenceClearsEveryBucket() {
		FleetMember.Busiest busiest = new FleetMember.Busiest(8 * SECOND);
		long start = System.nanoTime();
		for (int i = 0; i < 8; i++) {
			busiest.record(start + i * SECOND, 5 + i);
		}
		assertThat(busiest.max()).isEqualTo(12);
		busiest.record(start + 100 * SECOND, 1);
		assertThat(busiest.max()).isEqualTo(1);
	}

}
