package dev.pool.autoconfigure;

import dev.pool.internal.datasource.JdbcUrls;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.jdbc.EmbeddedDatabaseConnection;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.util.StringUtils;

/**
 * Finds the primary database with Spring Boot's precedence: a
 * {@link JdbcConnectionDetails} bean (what {@code @ServiceConnection} and Docker Compose
 * create) wins; then {@code app.datasource.primary.url}; then
 * {@code spring.datasource.url}; then, with no URL anywhere, the embedded database Boot
 * would create (H2, HSQLDB, Derby on the classpath). An existing Boot application adopts
 * the starter without renaming anything.
 */
final class PrimaryConnectionResolver {

	private static final Log logger = LogFactory.getLog(PrimaryConnectionResolver.class);

	/** How a primary from connection details describes its source. */
	static final String DETAILS_SOURCE = "JdbcConnectionDetails bean";

	private PrimaryConnectionResolver() {
	}

	static PrimaryConnection resolve(PoolProperties properties, ObjectProvider<JdbcConnectionDetails> connectionDetails,
			DataSourceProperties dataSourceProperties) {
		PoolProperties.Pool primary = properties.getPrimary();
		String url = primary.getUrl();
		String springUrl = dataSourceProperties.getUrl();
		JdbcConnectionDetails details = connectionDetails.getIfUnique();
		if (details != null && StringUtils.hasText(details.getJdbcUrl())) {
			String source = DETAILS_SOURCE + " (" + details.getClass().getSimpleName() + ")";
			if (StringUtils.hasText(url) || StringUtils.hasText(springUrl)) {
				logger.info("The primary database comes from the " + source + "; "
						+ (StringUtils.hasText(url) ? "app.datasource.primary.url" : "spring.datasource.url")
						+ " is not used, as Spring Boot prefers connection details over properties");
			}
			return new PrimaryConnection(details.getJdbcUrl(), details.getUsername(), details.getPassword(),
					details.getDriverClassName(), source);
		}
		if (StringUtils.hasText(url)) {
			return new PrimaryConnection(url, primary.getUsername(), primary.getPassword(),
					primary.getDriverClassName(), "app.datasource.primary");
		}
		if (StringUtils.hasText(springUrl)) {
			return new PrimaryConnection(springUrl,
					firstNonNull(primary.getUsername(), dataSourceProperties.getUsername()),
					firstNonNull(primary.getPassword(), dataSourceProperties.getPassword()),
					firstNonNull(primary.getDriverClassName(), dataSourceProperties.getDriverClassName()),
					"spring.datasource");
		}
		if (dataSourceProperties.getEmbeddedDatabaseConnection() != EmbeddedDatabaseConnection.NONE) {
			return embedded(properties, dataSourceProperties);
		}
		throw new InvalidPoolConfigurationException("app.datasource.primary.url", null,
				"no primary database is configured",
				"Set app.datasource.primary.url (with username and password), or spring.datasource.url, "
						+ "or provide a JdbcConnectionDetails bean (for example through @ServiceConnection), "
						+ "or put an embedded database (H2, HSQLDB) on the classpath.");
	}

	/**
	 * The primary of a topology source that names it: its URL comes from the source (and
	 * url-template), its credentials and driver from {@code app.datasource.primary}, else
	 * {@code spring.datasource}, as for a configured URL.
	 */
	static PrimaryConnection fromSource(PoolProperties properties, DataSourceProperties dataSourceProperties,
			String url, String source) {
		PoolProperties.Pool primary = properties.getPrimary();
		return new PrimaryConnection(url, firstNonNull(primary.getUsername(), dataSourceProperties.getUsername()),
				firstNonNull(primary.getPassword(), dataSourceProperties.getPassword()),
				firstNonNull(primary.getDriverClassName(), dataSourceProperties.getDriverClassName()), source);
	}

	// Exactly what Boot would create: its naming (generate-unique-name, name), its
	// credentials.
	private static PrimaryConnection embedded(PoolProperties properties, DataSourceProperties dataSourceProperties) {
		if (!properties.getReplicas().isEmpty()) {
			throw new InvalidPoolConfigurationException("app.datasource.primary.url", null,
					"replicas are configured under app.datasource.replicas but no primary database is",
					"Set app.datasource.primary.url (or spring.datasource.url) to the database the replicas "
							+ "follow; an embedded database has no replicas.");
		}
		String url = dataSourceProperties.determineUrl();
		EmbeddedDatabaseConnection connection = dataSourceProperties.getEmbeddedDatabaseConnection();
		logger.info("No primary database is configured (app.datasource.primary.url, a JdbcConnectionDetails bean "
				+ "or spring.datasource.url): using an embedded " + connection.name() + " database, as Spring Boot "
				+ "would (" + JdbcUrls.withoutCredentials(url) + ")");
		return new PrimaryConnection(url, dataSourceProperties.determineUsername(),
				dataSourceProperties.determinePassword(), dataSourceProperties.determineDriverClassName(),
				"the embedded " + connection.name() + " database", true, dataSourceProperties.isGenerateUniqueName());
	}

	private static @Nullable String firstNonNull(@Nullable String preferred, @Nullable String fallback) {
		return (preferred != null) ? preferred : fallback;
	}

}
