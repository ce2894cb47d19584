package dev.pool.internal.consistency;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConsistencyToken}.
 */
class ConsistencyTokenTests {

	@Test
	void formatsAndParsesBack() {
		ConsistencyToken token = new ConsistencyToken(0x16B374D848L, 1763740000123L);
		assertThat(token.format()).isEqualTo("v1.16B374D848.1763740000123");
		assertThat(ConsistencyToken.parse(token.format())).isEqualTo(token);
		assertThat(ConsistencyToken.parse("v1.0.1763740000123")).isEqualTo(new ConsistencyToken(0, 1763740000123L));
	}

	@Test
	void aGtidTokenSaysItsFlavour() {
		ConsistencyToken token = new ConsistencyToken(ConsistencyToken.Flavour.GTID, 42, 1763740000123L);
		assertThat(token.format()).isEqualTo("g1.2A.1763740000123");
		assertThat(ConsistencyToken.parse("g1.2A.1763740000123")).isEqualTo(token);
		assertThat(ConsistencyToken.parse("v1.2A.1763740000123")).isNotEqualTo(token);
	}

	@Test
	void anythingElseIsNotAToken() {
		for (String text : new String[] { "", "garbage", "v2.16B374D848.1763740000123", "v1.16b374d848.1",
				"v1.16B374D848", "v1..1", "v1.G.1", "v1.1.-5", "v1.12345678901234567.1", "v1.1.1234567890123456",
				"v1.1.1; Path=/", "v1.1.1" + "0".repeat(40), "g2.1.1", "g1", "g1.", "v1" }) {
			assertThat(ConsistencyToken.parse(text)).as(text).isNull();
		}
		assertThat(ConsistencyToken.parse(null)).isNull();
	}

}
