package dev.pool.it;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.test.EmbeddedPostgresProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each routed borrow is a {@code pool.borrow} observation in the application's
 * {@code ObservationRegistry} (Boot's, with its meter handler), on the shared cluster:
 * the pool, role and routing reason of the node that really served, the
 * {@code pool.borrow} timer, an error when no node could; and a connection whose metadata
 * is asked before it is marked read-only (as JDBC instrumentation does) still reaches a
 * replica.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(BorrowObservationTests.Recording.class)
class BorrowObservationTests {

	private static final String DB = "borrow_observation_test";

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		EmbeddedPostgresProperties.register(registry, DB);
		// On by default only with Micrometer Tracing; said here so the test does not
		// depend on what this class path happens to bring.
		registry.add("app.datasource.observations.enabled", () -> "true");
		registry.add("app.datasource.primary.maximum-pool-size", () -> "4");
		registry.add("app.datasource.primary.minimum-idle", () -> "1");
		registry.add("app.datasource.primary.connection-timeout", () -> "1s");
		registry.add("app.datasource.routing.load-balancing", () -> "round-robin");
		registry.add("app.datasource.consistency.read-your-writes", () -> "false");
	}

	@LocalServerPort
	int port;

	@Autowired
	Recording recording;

	@Autowired
	MeterRegistry meters;

	@Autowired
	DataSource dataSource;

	@Autowired
	@Qualifier("primaryDataSource")
	HikariDataSource primary;

	@BeforeEach
	void clear() {
		this.recording.contexts.clear();
	}

	@Test
	void aWriteAndAReadAreObservedWithTheNodeThatServedThem() throws Exception {
		HttpResponse<String> write = Http.postJson(this.port, "/write", "{}");
		assertThat(write.body()).contains("false:");
		HttpResponse<String> read = Http.get(this.port, "/read");
		assertThat(read.body()).contains("true:");
		List<Observation.Context> borrows = this.recording.borrows();
		assertThat(borrows).hasSize(2);
		assertThat(keys(borrows.get(0))).containsExactlyInAnyOrder("pool=primary", "role=primary", "reason=write");
		assertThat(keys(borrows.get(1))).contains("role=replica", "reason=read-only")
			.containsAnyOf("pool=replica-1", "pool=replica-2");
		assertThat(borrows.get(1).getContextualName()).matches("borrow replica-[12]");
		assertThat(this.meters.get("pool.borrow").tag("pool", "primary").tag("reason", "write").timer().count())
			.isPositive();
	}

	@Test
	void aBorrowThatFailsIsObservedWithItsError() throws Exception {
		List<Connection> held = new ArrayList<>();
		try {
			for (int i = 0; i < 4; i++) {
				held.add(this.primary.getConnection());
			}
			HttpResponse<String> response = Http.postJson(this.port, "/write", "{}");
			assertThat(response.statusCode()).isEqualTo(503);
		}
		finally {
			for (Connection connection : held) {
				connection.close();
			}
		}
		assertThat(this.recording.borrows()).singleElement().satisfies((context) -> {
			assertThat(keys(context)).containsExactlyInAnyOrder("pool=none", "role=none", "reason=none");
			assertThat(context.getError()).isInstanceOf(SQLTransientConnectionException.class);
		});
		assertThat(this.meters.get("pool.borrow").tag("pool", "none").timer().count()).isEqualTo(1);
	}

	@Test
	void metadataAskedBeforeTheReadOnlyFlagDoesNotPinTheConnectionToThePrimary() throws Exception {
		try (Connection connection = this.dataSource.getConnection()) {
			// What datasource-micrometer and OpenTelemetry's JDBC instrumentation do
			// right
			// after getConnection(), before the transaction manager's setReadOnly(true).
			assertThat(connection.getMetaData().getURL()).startsWith("jdbc:postgresql://");
			assertThat(connection.getMetaData().getConnection()).isSameAs(connection);
			assertThat(this.recording.borrows()).isEmpty();
			connection.setReadOnly(true);
			try (Statement statement = connection.createStatement();
					ResultSet rows = statement.executeQuery("SELECT pg_is_in_recovery()")) {
				assertThat(rows.next()).isTrue();
				assertThat(rows.getBoolean(1)).as("served by a replica").isTrue();
			}
			// Once routed, the metadata is the physical connection's: the replica's URL.
			int port;
			try (Statement statement = connection.createStatement();
					ResultSet rows = statement.executeQuery("SELECT inet_server_port()")) {
				rows.next();
				port = rows.getInt(1);
			}
			assertThat(connection.getMetaData().getURL()).contains(":" + port + "/");
			assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
		}
		assertThat(this.recording.borrows()).singleElement()
			.satisfies((context) -> assertThat(keys(context)).contains("role=replica"));
	}

	// The pool's own keys; Boot's meter handler adds "error" to every observation.
	private static List<String> keys(Observation.Context context) {
		return context.getLowCardinalityKeyValues()
			.stream()
			.filter((key) -> !key.getKey().equals("error"))
			.map((key) -> key.getKey() + "=" + key.getValue())
			.toList();
	}

	/** Keeps every stopped observation, as a tracing handler would see it. */
	@TestConfiguration(proxyBeanMethods = false)
	static class Recording implements ObservationHandler<Observation.Context> {

		final List<Observation.Context> contexts = new CopyOnWriteArrayList<>();

		@Override
		public void onStop(Observation.Context context) {
			this.contexts.add(context);
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

		List<Observation.Context> borrows() {
			return this.contexts.stream().filter((context) -> "pool.borrow".equals(context.getName())).toList();
		}

	}

}
