package dev.pool.datasource;

/**
 * Thrown at startup when an {@code app.datasource} setting is missing or invalid; names the
 * property and how to fix it.
 */
public class InvalidPoolConfigurationException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String property;

	private final transient Object value;

	private final String action;

	public InvalidPoolConfigurationException(String property, Object value, String problem, String action) {
		super(property + (value != null ? " (" + value + ")" : "") + ": " + problem);
		this.property = property;
		this.value = value;
		this.action = action;
	}

	/** The offending property, for example {@code app.datasource.primary.minimum-idle}. */
	public String getProperty() {
		return this.property;
	}

	/** The value that was rejected, or {@code null} when it is missing. */
	public Object getValue() {
		return this.value;
	}

	/** What to change. */
	public String getAction() {
		return this.action;
	}

}
