package dev.pool;

/**
 * A tenant id that does not match {@code app.datasource.tenants.id-pattern}, or no tenant
 * where one is required; web requests get 400 with a problem detail that does not repeat
 * the id.
 */
public class InvalidTenantIdException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param message what was wrong, without the id itself
	 */
	public InvalidTenantIdException(String message) {
		super(message);
	}

}
