package dev.pool.internal.credentials;

import org.jspecify.annotations.Nullable;

/**
 * A pool's login could not be read (a secret file is missing, the provider failed). Its
 * message names the pool and the file or provider, never a secret.
 */
public final class CredentialsUnavailableException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	CredentialsUnavailableException(String message, @Nullable Throwable cause) {
		// The cause is kept for its type only: an IOException names the file.
		super(message, cause);
	}

}
