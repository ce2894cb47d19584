package dev.pool.test;

/**
 * Thrown when the embedded PostgreSQL cluster cannot be prepared, started or controlled.
 */
public class EmbeddedPostgresException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public EmbeddedPostgresException(String message) {
		super(message);
	}

	public EmbeddedPostgresException(String message, Throwable cause) {
		super(message, cause);
	}

}
