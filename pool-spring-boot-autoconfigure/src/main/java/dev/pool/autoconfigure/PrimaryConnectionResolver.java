package dev.pool.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.util.StringUtils;

/**
 * Finds the primary database: {@code app.datasource.primary.url}, else a
 * {@link JdbcConnectionDetails} bean, else {@code spring.datasource.*}, so an existing
 * Boot application adopts the starter without renaming anything.
 */
final class PrimaryConnectionResolver {

	private PrimaryConnectionResolver() {
	}

	static PrimaryConnection resolve(PoolProperties properties, ObjectProvider<JdbcConnectionDetails> connectionDetails,
			DataSourceProperties dataSourceProperties) {
		PoolProperties.Pool primary = properties.getPrimary();
		String url = primary.getUrl();
		if (StringUtils.hasText(url)) {
			return new PrimaryConnection(url, primary.getUsername(), primary.getPassword(),
					primary.getDriverClassName(), "app.datasource.primary");
		}
		JdbcConnectionDetails details = connectionDetails.getIfUnique();
		if (details != null && StringUtils.hasText(details.getJdbcUrl())) {
			return new PrimaryConnection(details.getJdbcUrl(), details.getUsername(), details.getPassword(),
					details.getDriverClassName(),
					"JdbcConnectionDetails bean (" + details.getClass().getSimpleName() + ")");
		}
		String springUrl = dataSourceProperties.getUrl();
		if (StringUtils.hasText(springUrl)) {
			return new PrimaryConnection(springUrl,
					firstNonNull(primary.getUsername(), dataSourceProperties.getUsername()),
					firstNonNull(primary.getPassword(), dataSourceProperties.getPassword()),
					firstNonNull(primary.getDriverClassName(), dataSourceProperties.getDriverClassName()),
					"spring.datasource");
		}
		throw new InvalidPoolConfigurationException("app.datasource.primary.url", null,
				"no primary database is configured",
				"Set app.datasource.primary.url (with username and password), or spring.datasource.url, "
						+ "or provide a JdbcConnectionDetails bean (for example through @ServiceConnection).");
	}

	private static @Nullable String firstNonNull(@Nullable String preferred, @Nullable String fallback) {
		return (preferred != null) ? preferred : fallback;
	}

}
