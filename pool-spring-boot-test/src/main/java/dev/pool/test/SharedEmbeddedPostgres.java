package dev.pool.test;

/**
 * The one {@link EmbeddedPostgresCluster} shared by every test in a JVM: a primary and
 * {@value #DEFAULT_REPLICAS} replicas (override with
 * {@code -Dpool.embedded-postgres.replicas}), started on first use and stopped by a JVM
 * shutdown hook.
 */
public final class SharedEmbeddedPostgres {

	/** System property overriding the number of replicas of the shared cluster. */
	public static final String REPLICAS_PROPERTY = "pool.embedded-postgres.replicas";

	static final int DEFAULT_REPLICAS = 2;

	private SharedEmbeddedPostgres() {
	}

	/** The shared cluster, started on the first call. */
	public static EmbeddedPostgresCluster cluster() {
		return Holder.CLUSTER;
	}

	/**
	 * The shared cluster with the given database created (once) on it, for per-class
	 * isolation.
	 */
	public static EmbeddedPostgresCluster withDatabase(String database) {
		EmbeddedPostgresCluster cluster = cluster();
		cluster.createDatabaseIfAbsent(database);
		return cluster;
	}

	// Initialization-on-demand holder: started lazily, exactly once, without locking on
	// reads.
	private static final class Holder {

		static final EmbeddedPostgresCluster CLUSTER = EmbeddedPostgresCluster.builder()
			.replicas(Integer.getInteger(REPLICAS_PROPERTY, DEFAULT_REPLICAS))
			.start();

	}

}
