package dev.pool.test;

/**
 * Extracts the binaries in a separate JVM, so the concurrency test can start two at once.
 */
public final class ExtractBinariesMain {

	private ExtractBinariesMain() {
	}

	public static void main(String[] args) {
		System.out.println(PostgresBinaries.installation());
	}

}
