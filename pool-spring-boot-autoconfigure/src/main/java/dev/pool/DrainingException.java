package dev.pool;

/**
 * The application is shutting down and its pools are draining: no new connections are
 * handed out.
 */
public class DrainingException extends ConnectionUnavailableException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param message what was refused, with the pool name
	 */
	public DrainingException(String message) {
		super(message, null, null);
	}

}
