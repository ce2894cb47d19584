package dev.pool.datasource;

/**
 * The primary pool could not open its first connection at startup.
 */
public class PoolStartupException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String pool;

	private final String url;

	private final String source;

	public PoolStartupException(String pool, String url, String source, Throwable cause) {
		super("Pool '" + pool + "' could not connect to " + url + " (configured by " + source + "): "
				+ cause.getMessage(), cause);
		this.pool = pool;
		this.url = url;
		this.source = source;
	}

	/** The pool that failed. */
	public String getPool() {
		return this.pool;
	}

	/** Its JDBC URL, without credentials. */
	public String getUrl() {
		return this.url;
	}

	/** Which properties or bean configured it. */
	public String getSource() {
		return this.source;
	}

}
