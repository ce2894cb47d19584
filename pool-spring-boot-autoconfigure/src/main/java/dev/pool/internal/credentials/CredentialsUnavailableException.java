package dev.pool.internal.credentials;

/**
 * A pool's login could not be read (a secret file is missing, the provider failed). Its
 * message names the pool and the file or provider, never a secret.
 */
public final class CredentialsUnavailableException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	CredentialsUnavailableException(String message, Throwable cause) {
		// The cause is kept for its type only: an IOException names the file.
		super(message, cause);
	}

}
