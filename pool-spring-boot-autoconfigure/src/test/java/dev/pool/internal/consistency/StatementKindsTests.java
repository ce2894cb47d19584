package dev.pool.internal.consistency;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link StatementKinds}.
 */
class StatementKindsTests {

	@Test
	void readsAreRecognizedWhateverTheirCaseSpacingOrComments() {
		for (String sql : new String[] { "SELECT 1", "select * from t", "  \n\tSelect 1", "(SELECT 1) UNION (SELECT 2)",
				"-- who\nSELECT 1", "/* hint */ SELECT 1", "SHOW max_connections", "VALUES (1)", "TABLE accounts",
				"SET search_path TO app", "EXPLAIN SELECT 1" }) {
			assertThat(StatementKinds.mayWrite(sql)).as(sql).isFalse();
		}
	}

	@Test
	void everythingElseMayWrite() {
		for (String sql : new String[] { "INSERT INTO t VALUES (1)", "update t set x = 1", "DELETE FROM t",
				"MERGE INTO t USING s ON true WHEN MATCHED THEN DELETE", "WITH x AS (DELETE FROM t) SELECT 1",
				"CALL refresh()", "DO $$ BEGIN END $$", "CREATE TABLE t (id int)",
				"EXPLAIN ANALYZE INSERT INTO t VALUES (1)", "EXPLAIN (ANALYZE) DELETE FROM t", "SELECTED", "",
				"/* unterminated" }) {
			assertThat(StatementKinds.mayWrite(sql)).as(sql).isTrue();
		}
	}

}
