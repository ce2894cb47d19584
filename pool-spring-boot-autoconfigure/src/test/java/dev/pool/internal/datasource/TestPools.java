package dev.pool.internal.datasource;

import java.time.Duration;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import dev.pool.internal.credentials.CredentialSource;
import dev.pool.internal.credentials.LiveCredentials;

/**
 * Wraps a HikariCP pool a test started by hand as a {@link ManagedPool}, for tests of
 * classes that take one.
 */
public final class TestPools {

	private TestPools() {
	}

	/**
	 * A managed pool over a started HikariCP pool, with settings read back from it.
	 * @param pool the pool
	 * @param role its role
	 * @param index its index (primary 0, replicas from 1)
	 * @return the managed pool
	 */
	public static ManagedPool managed(HikariDataSource pool, PoolRole role, int index) {
		PoolSettings settings = new PoolSettings(pool.getPoolName(), role, "test", pool.getJdbcUrl(),
				CredentialSource.literal(pool.getPoolName(), pool.getUsername(), pool.getPassword()), null,
				pool.getMaximumPoolSize(), pool.getMinimumIdle(), Duration.ofMillis(pool.getConnectionTimeout()),
				Duration.ofMillis(pool.getIdleTimeout()), Duration.ofMillis(pool.getMaxLifetime()),
				Duration.ofMillis(pool.getKeepaliveTime()), Duration.ofMillis(pool.getValidationTimeout()),
				Duration.ofMillis(pool.getLeakDetectionThreshold()),
				Duration.ofMillis(pool.getInitializationFailTimeout()), null, pool.isAutoCommit(), null, null, null,
				Map.of(), false);
		return new ManagedPool(settings, pool, index, new PoolEventRelay(),
				new LiveCredentials(settings.credentials()));
	}

}
