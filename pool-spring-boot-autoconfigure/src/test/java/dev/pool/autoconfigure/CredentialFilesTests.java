package dev.pool.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.pool.PoolCredentials;
import dev.pool.internal.datasource.DataSourcePools;
import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.datasource.PoolSettings;
import dev.pool.test.EmbeddedPostgresCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where {@code username-file} and {@code password-file} apply: the primary, the replicas
 * that inherit its files, an extra datasource with its own, the tenant settings and their
 * overrides; each pool logs in with what its file says, on the embedded cluster whose TCP
 * logins need the password.
 */
class CredentialFilesTests {

	private static final String DB = "credential_files_test";

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(TestCluster.JDBC);

	@Test
	void everyPoolLogsInWithItsFileAndReplicasInheritThePrimarys(@TempDir Path directory) throws Exception {
		EmbeddedPostgresCluster cluster = TestCluster.cluster(DB);
		Path primaryPassword = Files.writeString(directory.resolve("primary"), cluster.password() + "\n");
		Path reportingPassword = Files.writeString(directory.resolve("reporting"), cluster.password() + "\r\n");
		Path username = Files.writeString(directory.resolve("username"), cluster.username() + "\n");
		this.runner.withPropertyValues(TestCluster.properties(DB, "app.datasource.primary.password=",
				"app.datasource.primary.password-file=" + primaryPassword,
				"app.datasource.extra.reporting.url=" + cluster.primary().jdbcUrl(DB),
				"app.datasource.extra.reporting.username-file=" + username,
				"app.datasource.extra.reporting.password-file=" + reportingPassword))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				DataSourcePools pools = context.getBean(DataSourcePools.class);
				for (ManagedPool pool : pools.open()) {
					JdbcTemplate jdbc = new JdbcTemplate(pool.dataSource());
					assertThat(jdbc.queryForObject("SELECT current_user", String.class)).as(pool.name())
						.isEqualTo(cluster.username());
					String source = pool.credentials().source().describe();
					if (pool.name().equals("reporting")) {
						assertThat(source).isEqualTo("app.datasource.extra.reporting.username-file " + username
								+ ", app.datasource.extra.reporting.password-file " + reportingPassword);
					}
					else {
						// Replicas inherit the primary's file.
						assertThat(source).as(pool.name())
							.isEqualTo("app.datasource.primary.password-file " + primaryPassword);
					}
					assertThat(pool.credentials().source().rotates()).isTrue();
				}
				assertThat(pools.open()).extracting(ManagedPool::name).contains("primary", "replica-1", "reporting");
			});
	}

	@Test
	void tenantsInheritThePrimarysFileAndTheirOwnSettingsWinAsAWhole(@TempDir Path directory) throws Exception {
		Path primaryPassword = Files.writeString(directory.resolve("primary"), "primary-secret\n");
		Path tenantsPassword = Files.writeString(directory.resolve("tenants"), "tenants-secret\n");
		PoolProperties properties = new PoolProperties();
		properties.getPrimary().setUsername("app");
		properties.getPrimary().setPasswordFile(primaryPassword);
		properties.getTenants().setUrlTemplate("jdbc:postgresql://127.0.0.1:1/tenant_{tenant}");
		PoolProperties.Pool globex = new PoolProperties.Pool();
		globex.setPassword("globex-literal");
		properties.getTenants().setOverrides(Map.of("globex", globex));
		PoolSettingsFactory factory = new PoolSettingsFactory(properties,
				PoolAutoConfiguration.applicationName(new MockEnvironment()));
		PoolSettings primary = factory.primary(new PrimaryConnection("jdbc:postgresql://127.0.0.1:1/app", "app", null,
				null, "app.datasource.primary"));
		assertThat(factory.tenant("acme", primary).credentials().login())
			.isEqualTo(new PoolCredentials.Login("app", "primary-secret"));
		properties.getTenants().setPasswordFile(tenantsPassword);
		assertThat(factory.tenant("acme", primary).credentials().login())
			.isEqualTo(new PoolCredentials.Login("app", "tenants-secret"));
		assertThat(factory.tenant("acme", primary).credentials().describe())
			.isEqualTo("app.datasource.tenants.password-file " + tenantsPassword);
		// An override's literal password replaces the tenants' file, not only its value.
		assertThat(factory.tenant("globex", primary).credentials().login())
			.isEqualTo(new PoolCredentials.Login("app", "globex-literal"));
	}

}
