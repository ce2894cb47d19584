package dev.pool.event;

/**
 * A pool's login changed (a secret file rewritten, a new user from a
 * {@code PoolCredentials} bean): new connections use it, the old ones retire. Carries no
 * secret.
 */
public final class CredentialsRotatedEvent extends PoolEvent {

	private static final long serialVersionUID = 1L;

	private final String source;

	private final long generation;

	/**
	 * @param pool the pool
	 * @param source where its login comes from, as {@code /actuator/pools} shows it
	 * @param generation the login's number since startup (1 after the first change)
	 */
	public CredentialsRotatedEvent(String pool, String source, long generation) {
		super(pool);
		this.source = source;
		this.generation = generation;
	}

	/**
	 * Where the login comes from.
	 * @return for example
	 * {@code app.datasource.primary.password-file /run/secrets/db/password}
	 */
	public String getSource() {
		return this.source;
	}

	/**
	 * The login's number since startup.
	 * @return 1 after the first change
	 */
	public long getGeneration() {
		return this.generation;
	}

	@Override
	protected String details() {
		return ", source=" + this.source + ", generation=" + this.generation;
	}

}
