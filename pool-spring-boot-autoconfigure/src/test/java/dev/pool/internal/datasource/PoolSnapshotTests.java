package dev.pool.internal.datasource;

import dev.pool.internal.datasource.PoolSnapshot.Saturation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PoolSnapshot}'s saturation levels.
 */
class PoolSnapshotTests {

	@Test
	void okUpToSeventyPercentWithNobodyWaiting() {
		assertThat(Saturation.of(0.0, 0)).isEqualTo(Saturation.OK);
		assertThat(Saturation.of(0.7, 0)).isEqualTo(Saturation.OK);
	}

	@Test
	void warningAboveSeventyPercentOrWithAnyoneWaiting() {
		assertThat(Saturation.of(0.71, 0)).isEqualTo(Saturation.WARNING);
		assertThat(Saturation.of(0.9, 0)).isEqualTo(Saturation.WARNING);
		assertThat(Saturation.of(0.1, 1)).isEqualTo(Saturation.WARNING);
		assertThat(Saturation.of(0.1, 5)).isEqualTo(Saturation.WARNING);
	}

	@Test
	void criticalAboveNinetyPercentOrWithMoreThanFiveWaiting() {
		assertThat(Saturation.of(0.91, 0)).isEqualTo(Saturation.CRITICAL);
		assertThat(Saturation.of(1.0, 0)).isEqualTo(Saturation.CRITICAL);
		assertThat(Saturation.of(0.1, 6)).isEqualTo(Saturation.CRITICAL);
	}

}
