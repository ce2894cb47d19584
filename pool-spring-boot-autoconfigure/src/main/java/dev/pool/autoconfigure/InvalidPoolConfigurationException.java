package dev.pool.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * Thrown at startup when an {@code app.datasource} setting is missing or invalid; names
 * the property and how to fix it.
 */
final class InvalidPoolConfigurationException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String property;

	private final transient @Nullable Object value;

	private final String action;

	InvalidPoolConfigurationException(String property, @Nullable Object value, String problem, String action) {
		super(property + (value != null ? " (" + value + ")" : "") + ": " + problem);
		this.property = property;
		this.value = value;
		this.action = action;
	}

	/**
	 * The offending property, for example {@code app.datasource.primary.minimum-idle}.
	 */
	String getProperty() {
		return this.property;
	}

	/** The value that was rejected, or {@code null} when it is missing. */
	@Nullable Object getValue() {
		return this.value;
	}

	/** What to change. */
	String getAction() {
		return this.action;
	}

}
