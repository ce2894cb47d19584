package dev.pool.internal.datasource;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.util.DriverDataSource;
import dev.pool.PoolCredentials;
import dev.pool.internal.credentials.CredentialSource;
import dev.pool.internal.credentials.LiveCredentials;
import org.jspecify.annotations.Nullable;

/**
 * The effective settings of one pool after inheritance from the primary and HikariCP's
 * defaults, validated.
 *
 * @param name pool name
 * @param role primary or replica
 * @param propertyPrefix where the pool is configured, for messages
 * @param url JDBC URL (may carry credentials: never print it unmasked)
 * @param credentials where the login comes from (read again for every connection)
 * @param driverClassName driver class or {@code null}
 * @param maximumPoolSize maximum connections
 * @param minimumIdle minimum idle connections
 * @param connectionTimeout wait for a connection
 * @param idleTimeout idle retirement
 * @param maxLifetime connection lifetime
 * @param keepaliveTime keepalive interval
 * @param validationTimeout validation timeout
 * @param leakDetectionThreshold leak threshold, zero when off
 * @param initializationFailTimeout startup connection attempt timeout
 * @param connectionInitSql SQL run on new connections or {@code null}
 * @param autoCommit default auto-commit
 * @param transactionIsolation isolation constant name or {@code null}
 * @param schema default schema or {@code null}
 * @param catalog default catalog or {@code null}
 * @param dataSourceProperties driver properties
 * @param parked whether the pool starts with at most one connection and none kept idle,
 * until a fleet budget grants it more (the configured sizes stay its bounds)
 */
public record PoolSettings(String name, PoolRole role, String propertyPrefix, String url, CredentialSource credentials,
		@Nullable String driverClassName, int maximumPoolSize, int minimumIdle, Duration connectionTimeout,
		Duration idleTimeout, Duration maxLifetime, Duration keepaliveTime, Duration validationTimeout,
		Duration leakDetectionThreshold, Duration initializationFailTimeout, @Nullable String connectionInitSql,
		boolean autoCommit, @Nullable String transactionIsolation, @Nullable String schema, @Nullable String catalog,
		Map<String, String> dataSourceProperties, boolean parked) {

	/**
	 * The validation timeout in whole seconds, as JDBC's {@code isValid} and the driver's
	 * connect, login and socket timeouts take it.
	 * @return {@code validation-timeout} rounded up, at least 1
	 */
	public int validationSeconds() {
		return wholeSeconds(this.validationTimeout);
	}

	/**
	 * The one rounding wherever a time becomes whole seconds (JDBC timeouts,
	 * {@code Retry-After}): up, so a wait is never shorter than configured, and at least
	 * 1.
	 * @param time the time
	 * @return whole seconds
	 */
	public static int wholeSeconds(Duration time) {
		return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (time.toMillis() + 999) / 1000));
	}

	/**
	 * Whether the pool connects to PostgreSQL, where the starter can measure lag and read
	 * the server's connection limit.
	 * @return true for a {@code jdbc:postgresql:} URL
	 */
	public boolean isPostgres() {
		return this.url.startsWith("jdbc:postgresql:");
	}

	/**
	 * Whether the pool connects to MariaDB or MySQL, where the starter reads a replica's
	 * replication threads and lag.
	 * @return true for a {@code jdbc:mariadb:} or {@code jdbc:mysql:} URL
	 */
	public boolean isMariaDbOrMySql() {
		return this.url.startsWith("jdbc:mariadb:") || this.url.startsWith("jdbc:mysql:");
	}

	/**
	 * The HikariCP configuration for this pool: the driver as HikariCP would use it for
	 * the URL, with every connection attempt and every broken connection reported, the
	 * login asked of the pool's live credentials at every attempt.
	 * @param events where the pool's connection events go
	 * @param credentials the pool's live login
	 * @return a new configuration
	 */
	HikariConfig toHikariConfig(PoolEvents events, LiveCredentials credentials) {
		HikariConfig config = new HikariConfig();
		config.setPoolName(this.name);
		// Kept for whoever reads it back from the pool; connections come from the data
		// source.
		config.setJdbcUrl(this.url);
		// HikariCP asks the provider for the login before every connection it opens; the
		// login at startup stays readable from the pool (getUsername()) as before, and is
		// what the pool reports, not what it uses.
		config.setCredentialsProvider(credentials);
		PoolCredentials.Login initial = credentials.current().login();
		String username = (initial != null) ? initial.username() : null;
		String password = (initial != null) ? initial.password() : this.credentials.passwordAlone();
		config.setUsername(username);
		config.setPassword(password);
		Properties driverProperties = new Properties();
		driverProperties.putAll(this.dataSourceProperties);
		String driverClass = (this.driverClassName != null && !this.driverClassName.isBlank()) ? this.driverClassName
				: null;
		// Several MariaDB servers for the primary: only a writable one will do.
		boolean writableOnly = this.role == PoolRole.PRIMARY && isMariaDbOrMySql()
				&& JdbcUrls.hosts(this.url).size() > 1;
		config.setDataSource(new ObservedDataSource(
				new DriverDataSource(this.url, driverClass, driverProperties, username, password), events, credentials,
				writableOnly ? this.name : null));
		config.setExceptionOverride(new BrokenConnectionOverride(events));
		// Started at the configured maximum even when parked: HikariCP sizes the queue of
		// its connection adder by the maximum it starts with, and a queue of one drops
		// the requests of threads that wait once the pool may grow. ManagedPool parks it
		// before anyone can borrow.
		config.setMaximumPoolSize(this.maximumPoolSize);
		config.setMinimumIdle(this.parked ? 0 : this.minimumIdle);
		config.setConnectionTimeout(this.connectionTimeout.toMillis());
		config.setIdleTimeout(this.idleTimeout.toMillis());
		config.setMaxLifetime(this.maxLifetime.toMillis());
		config.setKeepaliveTime(this.keepaliveTime.toMillis());
		config.setValidationTimeout(this.validationTimeout.toMillis());
		config.setLeakDetectionThreshold(this.leakDetectionThreshold.toMillis());
		// A parked pool opens nothing before its fleet's first settlement, which connects
		// (and fails fast for this pool) in its stead.
		config.setInitializationFailTimeout(this.parked ? -1 : this.initializationFailTimeout.toMillis());
		config.setConnectionInitSql(this.connectionInitSql);
		config.setAutoCommit(this.autoCommit);
		config.setTransactionIsolation(this.transactionIsolation);
		config.setSchema(this.schema);
		config.setCatalog(this.catalog);
		config.setReadOnly(this.role == PoolRole.REPLICA);
		return config;
	}

	@Override
	public String toString() {
		return "PoolSettings[name=" + this.name + ", role=" + this.role + ", url="
				+ JdbcUrls.withoutCredentials(this.url) + ", maximumPoolSize=" + this.maximumPoolSize + ", minimumIdle="
				+ this.minimumIdle + "]";
	}

}
