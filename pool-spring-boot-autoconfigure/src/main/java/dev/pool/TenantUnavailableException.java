package dev.pool;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A tenant's connections are refused: its migration failed, or every tenant pool is busy
 * and none could be closed in time; web requests get 503 with {@code Retry-After}. Other
 * tenants are unaffected.
 */
public class TenantUnavailableException extends ConnectionUnavailableException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param message what was refused and why, with the tenant
	 * @param retryAfter how long until trying again makes sense, or {@code null} for the
	 * configured default
	 * @param cause the failure behind the refusal, if any
	 */
	public TenantUnavailableException(String message, @Nullable Duration retryAfter, @Nullable Throwable cause) {
		super(message, retryAfter, cause);
	}

}
