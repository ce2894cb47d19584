package dev.pool.test;

/**
 * One {@link PatroniCluster} per test JVM (three members), started on first use and
 * stopped when the JVM exits: starting one takes several seconds, so test classes share
 * it, each in a database of its own. Tests that kill or add members must not assume which
 * member leads.
 */
public final class SharedPatroniCluster {

	private SharedPatroniCluster() {
	}

	/**
	 * The shared cluster, started on the first call.
	 * @return the cluster
	 */
	public static PatroniCluster cluster() {
		return Holder.CLUSTER;
	}

	/**
	 * The shared cluster with a database of the given name created on its leader.
	 * @param database the database
	 * @return the cluster
	 */
	public static PatroniCluster withDatabase(String database) {
		PatroniCluster cluster = cluster();
		cluster.createDatabase(database);
		return cluster;
	}

	private static final class Holder {

		static final PatroniCluster CLUSTER = PatroniCluster.builder().members(3).start();

	}

}
