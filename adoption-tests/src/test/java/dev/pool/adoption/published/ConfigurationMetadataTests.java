package dev.pool.adoption.published;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.pool.LoadBalancing;
import dev.pool.autoconfigure.PoolProperties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an IDE reads from the published auto-configuration jar: the configuration metadata
 * in {@code META-INF/spring-configuration-metadata.json}, read from the jar itself (the
 * reactor's packaged one, as a user's build resolves it), complete: every property
 * described, every property with a default unless it has none by nature, and every
 * enumerated value offered as a hint.
 */
class ConfigurationMetadataTests {

	/**
	 * Properties with no fixed default: an address, a login, a file, a name the user
	 * chooses, a map or list the user fills, or a value computed from others (the
	 * description says how). A new property must either get a default or be added here.
	 */
	private static final Set<String> NO_FIXED_DEFAULT = Set.of("url", "username", "password", "username-file",
			"password-file", "catalog", "schema", "connection-init-sql", "driver-class-name", "transaction-isolation",
			"data-source-properties", "minimum-idle", "initialization-fail-timeout", "app.datasource.replicas",
			"app.datasource.extra", "app.datasource.tenants.overrides", "app.datasource.tenants.known",
			"app.datasource.tenants.mode", "app.datasource.tenants.url-template",
			"app.datasource.tenants.max-total-connections", "app.datasource.tenants.flyway.locations",
			"app.datasource.consistency.read-your-writes", "app.datasource.fleet.instance-id",
			"app.datasource.fleet.max-connections", "app.datasource.routing.fallback-max-connections",
			"app.datasource.sizing.adaptive", "app.datasource.observations.enabled", "app.datasource.topology.dns.name",
			"app.datasource.topology.dns.resolver", "app.datasource.topology.patroni.urls",
			"app.datasource.topology.url-template");

	private static JsonNode metadata;

	private static URL source;

	@BeforeAll
	static void readFromTheJar() throws IOException {
		List<URL> found = Collections
			.list(ConfigurationMetadataTests.class.getClassLoader()
				.getResources("META-INF/spring-configuration-metadata.json"))
			.stream()
			.filter((url) -> url.toString().contains("pool-spring-boot-autoconfigure"))
			.toList();
		assertThat(found).as("the auto-configuration module's metadata on the classpath").hasSize(1);
		source = found.get(0);
		try (InputStream in = source.openStream()) {
			metadata = JsonMapper.builder().build().readTree(in);
		}
	}

	@Test
	void isReadFromThePackagedJar() {
		assertThat(source.getProtocol()).isEqualTo("jar");
		assertThat(source.toString()).contains("pool-spring-boot-autoconfigure-").contains(".jar!/");
	}

	@Test
	void everyPropertyIsDescribedInASentence() {
		List<String> undescribed = new ArrayList<>();
		for (JsonNode property : properties()) {
			String description = property.path("description").asString("");
			if (description.isBlank() || !description.endsWith(".")) {
				undescribed.add(property.path("name").asString());
			}
		}
		assertThat(properties()).hasSizeGreaterThan(80);
		assertThat(undescribed).isEmpty();
	}

	@Test
	void everyPropertyHasItsDefaultUnlessItHasNoneByNature() {
		List<String> missing = new ArrayList<>();
		for (JsonNode property : properties()) {
			String name = property.path("name").asString();
			if (property.has("defaultValue") || NO_FIXED_DEFAULT.contains(name)
					|| NO_FIXED_DEFAULT.contains(name.substring(name.lastIndexOf('.') + 1))) {
				continue;
			}
			missing.add(name);
		}
		assertThat(missing).isEmpty();
		// HikariCP's own defaults are stated for the settings the starter passes through.
		assertThat(defaultOf("app.datasource.primary.connection-timeout")).isEqualTo("30s");
		assertThat(defaultOf("app.datasource.primary.maximum-pool-size")).isEqualTo("10");
		assertThat(defaultOf("app.datasource.routing.load-balancing")).isEqualTo("round-robin");
	}

	@Test
	void everyEnumeratedValueIsAHint() {
		assertThat(hintValues("app.datasource.routing.load-balancing")).isEqualTo(kebab(LoadBalancing.values()));
		assertThat(hintValues("app.datasource.tenants.mode")).isEqualTo(kebab(PoolProperties.TenantMode.values()));
		assertThat(hintValues("app.datasource.topology.source"))
			.isEqualTo(kebab(PoolProperties.TopologySourceType.values()));
		assertThat(hintValues("app.datasource.topology.dns.record-type"))
			.isEqualTo(kebab(PoolProperties.DnsRecordType.values()));
		assertThat(hintValues("app.datasource.fleet.max-connections")).containsExactly("role");
		assertThat(hintValues("app.datasource.primary.transaction-isolation")).contains("TRANSACTION_READ_COMMITTED",
				"TRANSACTION_SERIALIZABLE");
		// Every property of an enum type has its values offered, each with a description.
		for (JsonNode property : properties()) {
			String type = property.path("type").asString("");
			if (type.startsWith("dev.pool.")) {
				String name = property.path("name").asString();
				assertThat(hintValues(name)).as(name).isNotEmpty();
			}
		}
		for (JsonNode hint : metadata.path("hints")) {
			for (JsonNode value : hint.path("values")) {
				assertThat(value.path("description").asString("")).as(hint.path("name").asString()).isNotBlank();
			}
		}
	}

	@Test
	void everyPropertyIsOnTheConfigurationPage() throws IOException {
		// The build runs each module in its own directory; the page is the repository's.
		String page = Files.readString(Path.of("..", "docs", "configuration.md"));
		List<String> undocumented = new ArrayList<>();
		for (JsonNode property : properties()) {
			String name = property.path("name").asString();
			if (!page.contains("`" + name + "`")) {
				undocumented.add(name);
			}
		}
		assertThat(undocumented).isEmpty();
	}

	private static List<JsonNode> properties() {
		List<JsonNode> properties = new ArrayList<>();
		metadata.path("properties").forEach((property) -> {
			if (property.path("name").asString().startsWith("app.datasource.")) {
				properties.add(property);
			}
		});
		return properties;
	}

	private static String defaultOf(String name) {
		Map<String, String> defaults = new HashMap<>();
		metadata.path("properties")
			.forEach((property) -> defaults.put(property.path("name").asString(),
					property.path("defaultValue").asString(null)));
		return defaults.get(name);
	}

	private static Set<String> hintValues(String name) {
		Set<String> values = new TreeSet<>();
		for (JsonNode hint : metadata.path("hints")) {
			if (hint.path("name").asString().equals(name)) {
				hint.path("values").forEach((value) -> values.add(value.path("value").asString()));
			}
		}
		return values;
	}

	private static Set<String> kebab(Enum<?>[] constants) {
		Set<String> values = new TreeSet<>();
		Arrays.stream(constants)
			.forEach((constant) -> values.add(constant.name().toLowerCase(Locale.ROOT).replace('_', '-')));
		return values;
	}

}
