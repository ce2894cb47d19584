package dev.pool.internal.consistency;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GTIDs and GTID lists as MariaDB 10.11 prints them ({@code @@last_gtid},
 * {@code @@gtid_binlog_pos}, {@code @@gtid_slave_pos}, recorded from the test cluster).
 */
class GtidsTests {

	@Test
	void readsTheSequenceNumberOfTheDomainFollowed() {
		assertThat(Gtids.sequence("0-1-42", 0)).isEqualTo(42);
		assertThat(Gtids.sequence("0-1-42,1-2-7", 1)).isEqualTo(7);
		assertThat(Gtids.sequence("1-2-7,0-1-42", 0)).isEqualTo(42);
		assertThat(Gtids.sequence("0-1-42, 1-2-7", 1)).isEqualTo(7);
		assertThat(Gtids.sequence("0-1-42,\n1-2-7", 1)).isEqualTo(7);
		assertThat(Gtids.sequence("10-4294967295-18446744073", 10)).isEqualTo(18446744073L);
	}

	@Test
	void aDomainNotInTheListOrTextThatIsNoGtidIsAbsent() {
		assertThat(Gtids.sequence("", 0)).isEqualTo(Gtids.ABSENT);
		assertThat(Gtids.sequence("1-2-7", 0)).isEqualTo(Gtids.ABSENT);
		assertThat(Gtids.sequence("10-1-5", 1)).isEqualTo(Gtids.ABSENT);
		for (String text : new String[] { "0", "0-1", "0-1-", "-1-42", "0--42", "a-1-42", "0-1-4x", "0-1-42-",
				"0-1-1234567890123456789" }) {
			assertThat(Gtids.sequence(text, 0)).as(text).isEqualTo(Gtids.ABSENT);
		}
	}

	@Test
	void readsTheDomainOfOneGtid() {
		assertThat(Gtids.domain("0-1-42")).isZero();
		assertThat(Gtids.domain("7-3-1")).isEqualTo(7);
		assertThat(Gtids.domain("")).isEqualTo(Gtids.ABSENT);
		assertThat(Gtids.domain("x-1-1")).isEqualTo(Gtids.ABSENT);
	}

}
