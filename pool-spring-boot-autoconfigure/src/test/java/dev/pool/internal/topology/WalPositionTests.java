package dev.pool.internal.topology;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WalPosition}.
 */
class WalPositionTests {

	@Test
	void writesPostgresqlsFormOfAPosition() {
		assertThat(WalPosition.format(0x16B374D848L)).isEqualTo("16/B374D848");
		assertThat(WalPosition.format(0x18FA2E8L)).isEqualTo("0/18FA2E8");
		assertThat(WalPosition.format(0)).isEqualTo("0/0");
	}

}
