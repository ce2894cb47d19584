package dev.pool.internal.probe;

import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A MariaDB or MySQL replica's state read from {@code SHOW REPLICA STATUS} and
 * {@code @@read_only}, on answers as the servers give them: MariaDB 10.11's recorded from
 * the test cluster (where {@code MariaDbReplicaTests} also runs them live), MySQL 8.4's
 * column names and values as its reference manual documents them (no MySQL server can be
 * had on this machine).
 */
class ReplicationStateTests {

	@Test
	void aMySqlReplicaWithBothThreadsRunningServesWithItsLag() {
		NodeProbe.Result result = NodeProbe.replicationState(mySql("Yes", "Yes", "3"), true, 1.0);
		assertThat(result.reachable()).isTrue();
		assertThat(result.lagSeconds()).isEqualTo(3.0);
		assertThat(result.inRecovery()).isTrue();
	}

	@Test
	void aMySqlReplicaWhoseSqlThreadStoppedIsNotReplicating() {
		NodeProbe.Result result = NodeProbe.replicationState(mySql("Yes", "No", null), true, 1.0);
		assertThat(result.reachable()).isFalse();
		assertThat(result.error()).isEqualTo("not replicating (I/O thread Yes, SQL thread No)");
	}

	@Test
	void aMySqlReplicaReconnectingToItsSourceIsNotReplicating() {
		NodeProbe.Result result = NodeProbe.replicationState(mySql("Connecting", "Yes", null), true, 1.0);
		assertThat(result.reachable()).isFalse();
		assertThat(result.error()).contains("I/O thread Connecting");
	}

	@Test
	void aMariaDbReplicaReadsTheOlderColumnNames() {
		Map<String, @Nullable String> status = new HashMap<>();
		status.put("Slave_IO_State", "Waiting for master to send event");
		status.put("Slave_IO_Running", "Yes");
		status.put("Slave_SQL_Running", "Yes");
		status.put("Seconds_Behind_Master", "4");
		status.put("Using_Gtid", "Slave_Pos");
		status.put("Gtid_IO_Pos", "0-1-42");
		assertThat(NodeProbe.replicationState(status, true, 1.0).lagSeconds()).isEqualTo(4.0);
		status.put("Seconds_Behind_Master", null);
		assertThat(NodeProbe.replicationState(status, true, 1.0).reachable()).isFalse();
	}

	@Test
	void aServerWithReadOnlyOffIsAPrimaryWhateverItsReplicationSays() {
		NodeProbe.Result result = NodeProbe.replicationState(mySql("No", "No", null), false, 1.0);
		assertThat(result.reachable()).isTrue();
		assertThat(result.inRecovery()).isFalse();
		assertThat(NodeProbe.replicationState(Map.of(), false, 1.0).inRecovery()).isFalse();
	}

	@Test
	void aReadOnlyServerThatIsNoReplicaServesNoReads() {
		NodeProbe.Result result = NodeProbe.replicationState(Map.of(), true, 1.0);
		assertThat(result.reachable()).isFalse();
		assertThat(result.error()).isEqualTo("not replicating (I/O thread absent, SQL thread absent)");
	}

	@Test
	void readOnlyIsANumberOrFromMariaDb118AnEnumeration() {
		for (String on : new String[] { "1", "ON", "on", "NO_LOCK", "NO_LOCK_NO_ADMIN" }) {
			assertThat(dev.pool.internal.datasource.ReadOnlySetting.isOn(on)).as(on).isTrue();
		}
		for (String off : new String[] { "0", "OFF", "off" }) {
			assertThat(dev.pool.internal.datasource.ReadOnlySetting.isOn(off)).as(off).isFalse();
		}
	}

	// The columns of MySQL 8.4's SHOW REPLICA STATUS that the check reads, with some of
	// those around them.
	private static Map<String, @Nullable String> mySql(String io, String sql, @Nullable String behind) {
		Map<String, @Nullable String> status = new HashMap<>();
		status.put("Replica_IO_State", "Waiting for source to send event");
		status.put("Source_Host", "127.0.0.1");
		status.put("Replica_IO_Running", io);
		status.put("Replica_SQL_Running", sql);
		status.put("Seconds_Behind_Source", behind);
		status.put("Retrieved_Gtid_Set", "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5");
		status.put("Executed_Gtid_Set", "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5");
		return status;
	}

}
