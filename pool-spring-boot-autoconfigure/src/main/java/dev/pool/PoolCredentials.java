package dev.pool;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Supplies the login of a pool's new connections: declare a bean of this type and every
 * pool asks it each time it opens a connection (an IAM token generator, a Vault lease),
 * and again every {@code app.datasource.credentials.refresh-interval}. Connections
 * already open keep working; when the username it answers changes (a new database user
 * per lease), the pool retires the connections opened as the old user, spread over a
 * short window, borrowed ones when they come back. A password that changes on every call
 * (a token) applies to new connections only.
 * <p>
 * Called on the pool's own threads, never on a request; it should answer quickly (a token
 * generator signs locally) and may throw, in which case the connection attempt fails and
 * is retried as any other.
 */
@FunctionalInterface
public interface PoolCredentials {

	/**
	 * The login for a new connection of a pool.
	 * @param pool the pool's name: {@code primary}, a replica's name, an extra
	 * datasource's name or {@code tenant:<id>}
	 * @param configured the login configured for that pool (literal or from files), or
	 * {@code null} when none is
	 * @return the login to use, or {@code null} for the configured one
	 * @throws Exception when no login can be given now
	 */
	@Nullable Login login(String pool, @Nullable Login configured) throws Exception;

	/**
	 * What the provider is, for {@code /actuator/pools} and logs; never a secret.
	 * @return by default the class name
	 */
	default String describe() {
		return getClass().getName();
	}

	/**
	 * A username and its password (or token). Its {@code toString} never shows the
	 * password.
	 *
	 * @param username the database user
	 * @param password the password or token, {@code null} for none
	 */
	record Login(String username, @Nullable String password) {

		/**
		 * Checks the username.
		 * @param username the database user, not blank
		 * @param password the password or token
		 */
		public Login {
			Assert.hasText(username, "username must not be blank");
		}

		@Override
		public String toString() {
			return "Login[username=" + this.username + ", password=" + ((this.password != null) ? "****" : "none")
					+ "]";
		}

	}

}
