package dev.pool.routing;

/**
 * The application is shutting down and its pools are draining: no new connections are handed
 * out.
 */
public class DrainingException extends ConnectionUnavailableException {

	private static final long serialVersionUID = 1L;

	public DrainingException(String message) {
		super(message, null, null);
	}

}
