package dev.pool.sample.accounts;

/** The request makes no sense (negative amount, same account). */
public class InvalidRequestException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public InvalidRequestException(String message) {
		super(message);
	}

}
