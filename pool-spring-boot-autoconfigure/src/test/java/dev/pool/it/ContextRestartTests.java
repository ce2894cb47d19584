package dev.pool.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import dev.pool.test.EmbeddedPostgresCluster;
import dev.pool.test.EmbeddedPostgresProperties;
import dev.pool.test.SharedEmbeddedPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a DevTools restart does: the context is closed and a new one started in the same
 * JVM. The pools close and reopen, no server connection or thread of theirs survives a
 * close, and with nothing borrowed the drain does not hold the restart (its timeout is
 * the default 30 s).
 */
class ContextRestartTests {

	private static final String DB = "restart_test";

	// HikariCP's housekeeper, adder and closer threads carry the pool name ("replica-2
	// housekeeper", "replica-2:connection-adder": HikariCP names them both ways); the
	// replica checks and the node probes' threads ours. They end shortly after their
	// pool (or the context) closes.
	private static final Pattern POOL_THREAD = Pattern.compile(
			"(primary|replica-\\d+)[ :](housekeeper|connection[ -]adder|connection[ -]closer)|pool-(replica-check|probe)-\\d+");

	// This context starts no web server; the cached web contexts of other test classes
	// keep Tomcat executors that may start worker threads at any moment.
	private static final Pattern OTHER_SERVERS = Pattern.compile("http-nio-.*");

	@Test
	void closingAndStartingAgainLeavesNoConnectionOrThreadBehind() throws Exception {
		Set<Thread> lingering = null;
		for (int restart = 1; restart <= 3; restart++) {
			Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
			ConfigurableApplicationContext context = start();
			TestApp.Reads reads = context.getBean(TestApp.Reads.class);
			assertThat(reads.node()).startsWith("true:");
			assertThat(context.getBean(TestApp.Writes.class).write()).startsWith("false:");
			assertThat(serverConnections()).as("connections while running").isPositive();
			long start = System.nanoTime();
			context.close();
			long closeMillis = (System.nanoTime() - start) / 1_000_000;
			assertThat(closeMillis).as("ms to close with nothing borrowed, drain timeout 30 s").isLessThan(10_000);
			// A backend ends just after its client hangs up.
			// Polled on this thread: Awaitility's own polling thread would be a thread
			// this
			// test counts, still ending as the count is taken.
			await().pollInSameThread().atMost(10, TimeUnit.SECONDS).until(() -> serverConnections() == 0);
			await().pollInSameThread()
				.atMost(10, TimeUnit.SECONDS)
				.until(() -> newThreads(before).stream()
					.noneMatch((thread) -> POOL_THREAD.matcher(thread.getName()).matches()));
			Set<Thread> after = newThreads(before);
			if (lingering == null) {
				// JVM-wide helpers start once, on first use (the JDBC driver's cleaner,
				// for one).
				lingering = after;
			}
			else {
				assertThat(names(after)).as("threads left behind by restart " + restart).isEmpty();
			}
		}
	}

	private static ConfigurableApplicationContext start() {
		EmbeddedPostgresCluster cluster = SharedEmbeddedPostgres.withDatabase(DB);
		List<String> args = new ArrayList<>();
		EmbeddedPostgresProperties.of(cluster, DB).forEach((name, value) -> args.add("--" + name + "=" + value));
		args.add("--spring.application.name=restart-test");
		args.add("--app.datasource.primary.maximum-pool-size=3");
		args.add("--app.datasource.routing.health-check-interval=200ms");
		return new SpringApplicationBuilder(TestApp.class).web(WebApplicationType.NONE)
			.run(args.toArray(String[]::new));
	}

	private static long serverConnections() throws Exception {
		try (Connection connection = SharedEmbeddedPostgres.cluster().primary().connect("postgres");
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(
						"SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'restart-test:%'")) {
			rs.next();
			long primary = rs.getLong(1);
			return primary + replicaConnections();
		}
	}

	private static long replicaConnections() throws Exception {
		long total = 0;
		for (var replica : SharedEmbeddedPostgres.cluster().replicas()) {
			try (Connection connection = replica.connect("postgres");
					Statement statement = connection.createStatement();
					ResultSet rs = statement.executeQuery(
							"SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'restart-test:%'")) {
				rs.next();
				total += rs.getLong(1);
			}
		}
		return total;
	}

	private static Set<Thread> newThreads(Set<Thread> before) {
		Set<Thread> now = new HashSet<>();
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			if (!before.contains(thread) && thread.isAlive() && !OTHER_SERVERS.matcher(thread.getName()).matches()) {
				now.add(thread);
			}
		}
		return now;
	}

	private static List<String> names(Set<Thread> threads) {
		return threads.stream().map(Thread::getName).sorted().toList();
	}

}
