package dev.pool.consistency;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.pool.ReadYourWrites;
import dev.pool.internal.consistency.ConsistencyToken;
import dev.pool.test.PostgresNode;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Read-your-writes outside a web request, where a write's position is read only when it
 * is needed: the token handed out after an autocommit write, a transaction or a batch is
 * at or past that write. Checked on a replica that applies commits 2 s late: whenever its
 * replay has reached the token, the write is visible there, and before that it is not (so
 * a token older than the write, which the replica reaches while the commit waits, fails
 * the test). The writer's own reads see the write.
 */
@SpringBootTest(classes = NotesApp.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class ReadYourWritesOutsideRequestsTests {

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DelayedReplicas.register(registry);
	}

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	NoteRepository notes;

	@Autowired
	NotesApp.NoteReads reads;

	@Autowired
	ReadYourWrites readYourWrites;

	@Test
	void anAutocommitWritesTokenIsPastTheWrite() throws Exception {
		String text = "unread-autocommit";
		String token = onFreshThread(() -> {
			this.jdbc.update("INSERT INTO note (text) VALUES (?)", text);
			Map<String, Object> seen = this.reads.countAndNode(text);
			assertThat(seen).as("the writer's read").containsEntry("count", 1L);
			return this.readYourWrites.currentToken().orElseThrow();
		});
		assertReplicaReachesTokenOnlyWithTheWrite(token, text, 1);
	}

	@Test
	void aTransactionsTokenIsPastTheWrite() throws Exception {
		String text = "unread-transaction";
		String token = onFreshThread(() -> {
			Note saved = this.notes.save(new Note(text));
			assertThat(this.reads.find(saved.getId())).as("the writer's read").containsEntry("found", true);
			return this.readYourWrites.currentToken().orElseThrow();
		});
		assertReplicaReachesTokenOnlyWithTheWrite(token, text, 1);
	}

	@Test
	void aBatchsTokenIsPastItsLastRow() throws Exception {
		String text = "unread-batch";
		String token = onFreshThread(() -> {
			List<Object[]> rows = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				rows.add(new Object[] { text });
			}
			this.jdbc.batchUpdate("INSERT INTO note (text) VALUES (?)", rows);
			return this.readYourWrites.currentToken().orElseThrow();
		});
		assertReplicaReachesTokenOnlyWithTheWrite(token, text, 50);
	}

	@Test
	void aCallerThatOnlyReadOnThePrimaryGetsNoToken() throws Exception {
		// A transaction on the primary that ran no write, asked in its commit's round
		// trip.
		assertThat(onFreshThread(() -> {
			this.reads.countOnPrimary();
			return this.readYourWrites.currentToken().orElse("none");
		})).isEqualTo("none");
	}

	private static <T> T onFreshThread(Supplier<T> work) {
		ExecutorService thread = Executors.newSingleThreadExecutor();
		try {
			return CompletableFuture.supplyAsync(work, thread).join();
		}
		finally {
			thread.shutdown();
		}
	}

	// The safety property itself, sampled on the replica in one statement each time: a
	// replica whose replay has reached the token has the rows.
	private static void assertReplicaReachesTokenOnlyWithTheWrite(String text, String rowText, long rows)
			throws Exception {
		ConsistencyToken token = ConsistencyToken.parse(text);
		assertThat(token).isNotNull();
		PostgresNode replica = DelayedReplicas.cluster().replica(1);
		List<Boolean> reachedBeforeVisible = new ArrayList<>();
		boolean[] sawItMissing = { false };
		long start = System.nanoTime();
		try (Connection connection = replica.connect(DelayedReplicas.DB);
				PreparedStatement statement = connection
					.prepareStatement("SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint, "
							+ "(SELECT count(*) FROM note WHERE text = ?)")) {
			statement.setString(1, rowText);
			await().atMost(20, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(20)).until(() -> {
				long replayed;
				long count;
				try (ResultSet rs = statement.executeQuery()) {
					rs.next();
					replayed = rs.getLong(1);
					count = rs.getLong(2);
				}
				boolean reached = replayed >= token.position();
				if (reached && count != rows) {
					reachedBeforeVisible.add(true);
				}
				if (count == 0) {
					sawItMissing[0] = true;
				}
				// A position right after a WAL page header is reached only once more WAL
				// follows: give the replica some after a while.
				if (!reached && System.nanoTime() - start > TimeUnit.SECONDS.toNanos(4)) {
					filler();
				}
				return reached && count == rows;
			});
		}
		assertThat(reachedBeforeVisible).as("samples where the replica had reached the token but not the write")
			.isEmpty();
		assertThat(sawItMissing[0]).as("the replica was seen without the write (it applies commits 2 s late)").isTrue();
	}

	private static void filler() throws SQLException {
		try (Connection connection = DelayedReplicas.cluster().primary().connect(DelayedReplicas.DB);
				PreparedStatement statement = connection
					.prepareStatement("INSERT INTO note (text) VALUES ('filler')")) {
			statement.executeUpdate();
		}
	}

}
