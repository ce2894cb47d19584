package dev.pool.adoption;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the starter adds to this application while it runs on the embedded H2 database
 * Boot would create: the router, health, meters, the pools endpoint, the 503 and the
 * drain. (The other tests here are the application's own and do not know the starter.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,metrics,pools",
				"management.endpoint.health.show-details=always", "app.datasource.primary.maximum-pool-size=2",
				"app.datasource.primary.connection-timeout=500ms" })
@ExtendWith(OutputCaptureExtension.class)
class StarterOnTheEmbeddedDatabaseTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	DataSource dataSource;

	@Autowired
	@Qualifier("primaryDataSource")
	HikariDataSource primary;

	@Test
	void theApplicationsDataSourceIsTheRouterOverAnEmbeddedPrimary() {
		assertThat(this.dataSource.getClass().getSimpleName()).isEqualTo("RoutingDataSource");
		assertThat(this.primary.getJdbcUrl()).startsWith("jdbc:h2:mem:");
	}

	@Test
	void healthMetricsAndThePoolsEndpointDescribeTheEmbeddedPrimary() throws Exception {
		DocumentContext health = JsonPath.parse(get("/actuator/health").body());
		assertThat(health.read("$.components.db.status", String.class)).isEqualTo("UP");
		assertThat(health.read("$.components.db.details.primary.status", String.class)).isEqualTo("UP");
		DocumentContext max = JsonPath.parse(get("/actuator/metrics/hikaricp.connections.max?tag=pool:primary").body());
		assertThat(max.read("$.measurements[0].value", Double.class)).isEqualTo(2.0);
		HttpResponse<String> pools = get("/actuator/pools");
		assertThat(pools.statusCode()).isEqualTo(200);
		DocumentContext json = JsonPath.parse(pools.body());
		assertThat(json.read("$.pools.primary.url", String.class)).startsWith("jdbc:h2:mem:");
		assertThat(json.read("$.pools.length()", Integer.class)).isOne();
	}

	@Test
	void anExhaustedPoolAnswers503() throws Exception {
		List<Connection> held = new ArrayList<>();
		try {
			held.add(this.primary.getConnection());
			held.add(this.primary.getConnection());
			HttpResponse<String> refused = get("/owners/1");
			assertThat(refused.statusCode()).isEqualTo(503);
			assertThat(refused.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		}
		finally {
			for (Connection connection : held) {
				connection.close();
			}
		}
		assertThat(get("/owners/1").statusCode()).isEqualTo(200);
	}

	@Test
	void thePoolsDrainAtShutdown(CapturedOutput output) {
		SpringApplication application = new SpringApplication(ClinicApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		ConfigurableApplicationContext context = application.run();
		assertThat(context.getBean(OwnerRepository.class).count()).isEqualTo(4);
		context.close();
		assertThat(output).contains("Pool 'primary' drained: 0 active at start");
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
