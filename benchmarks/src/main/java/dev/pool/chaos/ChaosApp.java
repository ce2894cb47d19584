package dev.pool.chaos;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.pool.ReadOnly;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The service the chaos soak runs twice: the starter with its topology from Patroni,
 * read-your-writes on, and four endpoints. Every answer names the PostgreSQL port that
 * served it, so the checker can tell which node did.
 */
@SpringBootApplication
public class ChaosApp {

	static final int CONNECTION_TIMEOUT_MILLIS = 3_000;

	/**
	 * Starts one instance on a free port.
	 * @param connection the topology and login properties
	 * @return the running application
	 */
	static ConfigurableApplicationContext start(Map<String, Object> connection) {
		Map<String, Object> properties = new LinkedHashMap<>(connection);
		properties.put("server.port", 0);
		properties.put("spring.main.banner-mode", "off");
		properties.put("logging.level.root", "WARN");
		properties.put("logging.level.dev.pool", "INFO");
		// One line per broken connection and per 503 would bury the pools' own events
		// (ejected, re-admitted, primary changed) in a 10-minute log; the history counts
		// them.
		properties.put("logging.level.com.zaxxer.hikari.pool.ProxyConnection", "ERROR");
		properties.put("logging.level.dev.pool.internal.web.ConnectionUnavailableExceptionResolver", "ERROR");
		properties.put("app.datasource.primary.maximum-pool-size", 6);
		properties.put("app.datasource.primary.minimum-idle", 2);
		properties.put("app.datasource.primary.connection-timeout", CONNECTION_TIMEOUT_MILLIS + "ms");
		// A hung server answers nothing: bound each read of the socket, as an operator of
		// an HA cluster would (pgjdbc waits forever by default).
		properties.put("app.datasource.primary.data-source-properties.socketTimeout", "2");
		properties.put("app.datasource.primary.data-source-properties.connectTimeout", "2");
		properties.put("app.datasource.routing.health-check-interval", "1s");
		properties.put("app.datasource.routing.max-replica-lag", "5s");
		properties.put("app.datasource.circuit-breaker.open-duration", "5s");
		properties.put("app.datasource.topology.refresh-interval", "1s");
		properties.put("app.datasource.consistency.read-your-writes", true);
		return new SpringApplicationBuilder(ChaosApp.class).web(WebApplicationType.SERVLET)
			.logStartupInfo(false)
			.properties(properties)
			.run();
	}

	/** The endpoints the clients call. */
	@RestController
	static class Endpoints {

		private final Store store;

		Endpoints(Store store) {
			this.store = store;
		}

		/** A write of (client, seq) in a transaction, or in autocommit mode. */
		@PostMapping("/writes/{client}/{seq}")
		String write(@PathVariable int client, @PathVariable int seq, @RequestParam boolean tx) {
			return Integer.toString(tx ? this.store.writeInTransaction(client, seq) : this.store.write(client, seq));
		}

		/** The client's highest seq, read on a replica unless it must not be. */
		@GetMapping("/own/{client}")
		String own(@PathVariable int client) {
			return this.store.highest(client);
		}

		/** A plain replica read. */
		@GetMapping("/any")
		String any() {
			return Integer.toString(this.store.port());
		}

	}

	/** The SQL behind the endpoints. */
	@Service
	static class Store {

		private final JdbcTemplate jdbc;

		Store(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@Transactional
		public int writeInTransaction(int client, int seq) {
			this.jdbc.update("INSERT INTO chaos_write (client, seq, tx) VALUES (?, ?, true)", client, seq);
			this.jdbc.update(
					"INSERT INTO chaos_last (client, seq) VALUES (?, ?) "
							+ "ON CONFLICT (client) DO UPDATE SET seq = greatest(chaos_last.seq, excluded.seq)",
					client, seq);
			return this.jdbc.queryForObject("SELECT inet_server_port()", Integer.class);
		}

		public int write(int client, int seq) {
			return this.jdbc.queryForObject(
					"INSERT INTO chaos_write (client, seq, tx) VALUES (?, ?, false) RETURNING inet_server_port()",
					Integer.class, client, seq);
		}

		@ReadOnly
		public String highest(int client) {
			return this.jdbc.queryForObject(
					"SELECT coalesce(max(seq), -1) || ' ' || inet_server_port() FROM chaos_write WHERE client = ?",
					String.class, client);
		}

		@ReadOnly
		public int port() {
			return this.jdbc.queryForObject("SELECT inet_server_port()", Integer.class);
		}

	}

}
