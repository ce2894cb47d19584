package dev.pool;

/**
 * A well-formed tenant id that names no tenant; web requests get 404 with a problem
 * detail that does not repeat the id.
 */
public class UnknownTenantException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param message what was asked for
	 */
	public UnknownTenantException(String message) {
		super(message);
	}

}
