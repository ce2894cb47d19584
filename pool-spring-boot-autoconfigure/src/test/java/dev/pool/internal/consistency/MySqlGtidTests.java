package dev.pool.internal.consistency;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MySQL's GTID sets as read-your-writes reads them, on answers as MySQL 8.4's reference
 * manual prints {@code @@global.gtid_executed} and {@code @@global.server_uuid} (no MySQL
 * server can be had on this machine).
 */
class MySqlGtidTests {

	private static final String SOURCE = "3E11FA47-71CA-11E1-9E33-C80AA9429562";

	private static final String OTHER = "2174b383-5441-11e8-b90a-c80aa9429562";

	@Test
	void thePrimarysPositionIsItsOwnLastTransaction() {
		String executed = SOURCE.toLowerCase() + ":1-77,\n" + OTHER + ":1-5";
		assertThat(MySqlConsistency.position(SOURCE, SOURCE.toLowerCase(), executed)).isEqualTo(77);
		assertThat(MySqlConsistency.position(SOURCE, SOURCE, SOURCE + ":1-77:79-80")).isEqualTo(80);
		// MySQL 8.4's tagged GTIDs count as the source's too.
		assertThat(MySqlConsistency.position(SOURCE, SOURCE, SOURCE + ":1-77:audit:1-9:78-81")).isEqualTo(81);
	}

	@Test
	void anotherPrimaryOrOneWithoutTransactionsHasNoKnownPosition() {
		// A failover: the new primary numbers under its own uuid.
		assertThat(MySqlConsistency.position(SOURCE, OTHER, SOURCE + ":1-77," + OTHER + ":1-3"))
			.isEqualTo(ReadYourWritesSupport.UNKNOWN_POSITION);
		assertThat(MySqlConsistency.position(SOURCE, SOURCE, "")).isEqualTo(ReadYourWritesSupport.UNKNOWN_POSITION);
	}

	@Test
	void aReplicaHasAppliedUpToItsFirstGap() {
		assertThat(MySqlConsistency.applied(SOURCE, SOURCE + ":1-77")).isEqualTo(77);
		// Applied in parallel: 79 is there, 78 not yet.
		assertThat(MySqlConsistency.applied(SOURCE, SOURCE + ":1-77:79")).isEqualTo(77);
		assertThat(MySqlConsistency.applied(SOURCE, OTHER + ":1-5,\n" + SOURCE + ":1-12")).isEqualTo(12);
		assertThat(MySqlConsistency.applied(SOURCE, OTHER + ":1-5")).isZero();
		assertThat(MySqlConsistency.applied(SOURCE, SOURCE + ":3-9")).isZero();
		assertThat(MySqlConsistency.applied(SOURCE, "")).isZero();
	}

	@Test
	void malformedPartsAreSkipped() {
		assertThat(GtidSets.last(SOURCE + ":x-9:1-4:7-2", SOURCE)).isEqualTo(4);
		assertThat(GtidSets.last("garbage", SOURCE)).isZero();
		assertThat(GtidSets.contiguous(SOURCE + ":", SOURCE)).isZero();
	}

	@Test
	void theStartupCheckPicksGtidSetsOnlyWithGtidModeOn() {
		assertThat(new GtidCheck(true, false, true, -1, "ON", SOURCE).byMySqlGtid()).isTrue();
		for (String mode : new String[] { "OFF", "OFF_PERMISSIVE", "ON_PERMISSIVE" }) {
			GtidCheck check = new GtidCheck(true, false, true, -1, mode, SOURCE);
			assertThat(check.byMySqlGtid()).as(mode).isFalse();
			assertThat(check.whyByTime()).contains("gtid_mode " + mode);
		}
		assertThat(new GtidCheck(false, false, false, -1, "", "").byMySqlGtid()).isFalse();
		assertThat(new GtidCheck(true, true, true, 0, "", "").byMySqlGtid()).isFalse();
	}

	@Test
	void aMySqlTokenSaysItsFlavour() {
		ConsistencyToken token = new ConsistencyToken(ConsistencyToken.Flavour.MYSQL_GTID, 77, 1763740000123L);
		assertThat(token.format()).isEqualTo("m1.4D.1763740000123");
		assertThat(ConsistencyToken.parse(token.format())).isEqualTo(token);
	}

}
