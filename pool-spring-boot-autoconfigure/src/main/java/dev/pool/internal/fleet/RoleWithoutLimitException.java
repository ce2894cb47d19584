package dev.pool.internal.fleet;

/**
 * The budget is the login role's {@code CONNECTION LIMIT}
 * ({@code app.datasource.fleet.max-connections: role}) but the role has none: a
 * configuration mistake, reported at startup.
 */
public final class RoleWithoutLimitException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final String pool;

	/**
	 * Creates the exception.
	 * @param pool the pool whose login role has no limit
	 */
	RoleWithoutLimitException(String pool) {
		super("The login role of pool '" + pool + "' has no CONNECTION LIMIT");
		this.pool = pool;
	}

	/**
	 * The pool whose login role has no limit.
	 * @return its name
	 */
	public String getPool() {
		return this.pool;
	}

}
