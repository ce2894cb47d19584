package dev.pool.internal.credentials;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import dev.pool.PoolCredentials;
import org.jspecify.annotations.Nullable;

/**
 * Where one pool's login comes from: its username and password, each a literal setting or
 * a file, and the application's {@link PoolCredentials} bean when there is one, which has
 * the last word. Immutable; every {@link #login()} reads the files and asks the bean
 * again, so whoever opens a session with it (the pool, a health check, the fleet's
 * census, a tenant migration) logs in with what is current.
 */
public final class CredentialSource {

	private final String pool;

	private final Secret username;

	private final Secret password;

	private final @Nullable PoolCredentials provider;

	private final @Nullable CredentialRefresher refresher;

	private CredentialSource(String pool, Secret username, Secret password, @Nullable PoolCredentials provider,
			@Nullable CredentialRefresher refresher) {
		this.pool = pool;
		this.username = username;
		this.password = password;
		this.provider = provider;
		this.refresher = refresher;
	}

	/**
	 * A fixed login, as configured or from connection details.
	 * @param pool the pool's name
	 * @param username the user, or {@code null} for the driver's default
	 * @param password the password, or {@code null}
	 * @return the source
	 */
	public static CredentialSource literal(String pool, @Nullable String username, @Nullable String password) {
		return new CredentialSource(pool, Secret.literal(username, "username"), Secret.literal(password, "password"),
				null, null);
	}

	/**
	 * A login from settings, files and a provider.
	 * @param pool the pool's name
	 * @param username where the username comes from
	 * @param password where the password comes from
	 * @param provider the application's provider bean, or {@code null}
	 * @param refresher what re-reads the login and retires old connections when it
	 * changes, or {@code null} when nothing can change
	 * @return the source
	 */
	public static CredentialSource of(String pool, Secret username, Secret password, @Nullable PoolCredentials provider,
			@Nullable CredentialRefresher refresher) {
		return new CredentialSource(pool, username, password, provider, refresher);
	}

	/**
	 * The same login for another pool (a replica inherits the primary's); a provider is
	 * then asked with that pool's name.
	 * @param name the other pool
	 * @return the source
	 */
	public CredentialSource forPool(String name) {
		return new CredentialSource(name, this.username, this.password, this.provider, this.refresher);
	}

	/**
	 * The same source with some halves replaced (a replica's own username over the
	 * primary's password file).
	 * @param name the pool
	 * @param ownUsername the pool's own username, or {@code null} to keep this one's
	 * @param ownPassword the pool's own password, or {@code null} to keep this one's
	 * @return the source
	 */
	public CredentialSource overriddenBy(String name, @Nullable Secret ownUsername, @Nullable Secret ownPassword) {
		return new CredentialSource(name, (ownUsername != null) ? ownUsername : this.username,
				(ownPassword != null) ? ownPassword : this.password, this.provider, this.refresher);
	}

	/**
	 * The login now: the files read, the provider asked.
	 * @return the login, or {@code null} when no username is configured and the provider
	 * gives none (the driver's defaults apply)
	 * @throws CredentialsUnavailableException when a file cannot be read or the provider
	 * fails; never carries a secret
	 */
	public PoolCredentials.@Nullable Login login() {
		PoolCredentials.Login configured = configured();
		if (this.provider == null) {
			return configured;
		}
		try {
			PoolCredentials.Login given = this.provider.login(this.pool, configured);
			return (given != null) ? given : configured;
		}
		catch (Exception ex) {
			throw new CredentialsUnavailableException("The PoolCredentials bean (" + this.provider.describe()
					+ ") gave no login for pool '" + this.pool + "': " + ex.getClass().getSimpleName(), ex);
		}
	}

	/**
	 * The configured password alone, for a login without a configured username (the user
	 * then comes from the URL or the driver's default).
	 * @return the password, or {@code null}
	 */
	public @Nullable String passwordAlone() {
		return read(this.password);
	}

	private PoolCredentials.@Nullable Login configured() {
		String user = read(this.username);
		String secret = read(this.password);
		return (user != null && !user.isEmpty()) ? new PoolCredentials.Login(user, secret) : null;
	}

	private @Nullable String read(Secret secret) {
		try {
			String value = secret.read();
			if (secret.isFile() && (value == null || value.isEmpty())) {
				// A file caught between truncation and write (a writer that does not
				// replace it atomically): not a login to try.
				throw new CredentialsUnavailableException("Pool '" + this.pool + "' read " + secret + " empty", null);
			}
			return value;
		}
		catch (IOException ex) {
			// The exception names the file, which is not a secret; its content never is
			// part of a message.
			throw new CredentialsUnavailableException(
					"Pool '" + this.pool + "' cannot read " + secret + ": " + ex.getClass().getSimpleName(), ex);
		}
	}

	/**
	 * Puts the login now into driver properties, for a session opened outside the pool.
	 * @param properties the properties
	 */
	public void applyTo(Properties properties) {
		PoolCredentials.Login login = login();
		if (login != null) {
			properties.setProperty("user", login.username());
			if (login.password() != null) {
				properties.setProperty("password", login.password());
			}
		}
	}

	/**
	 * Whether the login may change while the application runs: a file or a provider.
	 * @return true when it is worth watching
	 */
	public boolean rotates() {
		return this.username.isFile() || this.password.isFile() || this.provider != null;
	}

	/**
	 * Whether a new password means the connections opened with the old one are retired.
	 * Files: yes, a rotated secret should re-authenticate every session. A provider: only
	 * a new username counts, since a token generator hands out a new password for every
	 * connection and the sessions it opened stay valid.
	 * @return true unless a provider has the last word
	 */
	boolean retiresOnNewPassword() {
		return this.provider == null;
	}

	/**
	 * The pool's name.
	 * @return the name
	 */
	public String pool() {
		return this.pool;
	}

	/**
	 * What re-reads the login, when it may change.
	 * @return the refresher, or {@code null}
	 */
	@Nullable CredentialRefresher refresher() {
		return this.refresher;
	}

	/**
	 * Where the login comes from, for {@code /actuator/pools} and logs: the properties
	 * and files, or the provider; never a value.
	 * @return for example {@code password-file /run/secrets/db/password}
	 */
	public String describe() {
		if (this.provider != null) {
			return "provider " + this.provider.describe();
		}
		List<String> parts = new ArrayList<>();
		if (this.username.isFile()) {
			parts.add(this.username.toString());
		}
		if (this.password.isFile()) {
			parts.add(this.password.toString());
		}
		return parts.isEmpty() ? "literal" : String.join(", ", parts);
	}

	@Override
	public String toString() {
		return "CredentialSource[pool=" + this.pool + ", " + describe() + "]";
	}

}
