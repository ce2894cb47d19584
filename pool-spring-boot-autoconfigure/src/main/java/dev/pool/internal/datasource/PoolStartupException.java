package dev.pool.internal.datasource;

/**
 * The primary pool could not open its first connection at startup.
 */
final class PoolStartupException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String pool;

	private final String url;

	private final String source;

	/**
	 * Creates an exception.
	 * @param pool the pool that failed
	 * @param url its JDBC URL, without credentials
	 * @param source which properties or bean configured it
	 * @param cause why the first connection failed
	 */
	PoolStartupException(String pool, String url, String source, Throwable cause) {
		super("Pool '" + pool + "' could not connect to " + url + " (configured by " + source + "): "
				+ cause.getMessage(), cause);
		this.pool = pool;
		this.url = url;
		this.source = source;
	}

	/**
	 * The pool that failed.
	 * @return the pool name
	 */
	public String getPool() {
		return this.pool;
	}

	/**
	 * Its JDBC URL, without credentials.
	 * @return the masked URL
	 */
	public String getUrl() {
		return this.url;
	}

	/**
	 * Which properties or bean configured it.
	 * @return a description of the source
	 */
	public String getSource() {
		return this.source;
	}

}
