package dev.pool.testcontainers;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;

/**
 * The PostgreSQL image the tests use: the locally built stand-in where
 * docker/postgres/build-image.sh made one (no registry needed), else the official image.
 */
final class TestImages {

	static final String LOCAL = "pool-local/postgres:17";

	static final String LOCAL_MARIADB = "pool-local/mariadb:11";

	private TestImages() {
	}

	static DockerImageName postgres() {
		return hasLocal() ? DockerImageName.parse(LOCAL).asCompatibleSubstituteFor("postgres")
				: DockerImageName.parse(PostgresReplicaSetContainer.DEFAULT_IMAGE);
	}

	static String postgresName() {
		return hasLocal() ? LOCAL : PostgresReplicaSetContainer.DEFAULT_IMAGE;
	}

	/**
	 * The MariaDB image: the locally built stand-in where docker/mariadb/build-image.sh
	 * made one, else the official image.
	 */
	static DockerImageName mariaDb() {
		return hasLocal(LOCAL_MARIADB) ? DockerImageName.parse(LOCAL_MARIADB).asCompatibleSubstituteFor("mariadb")
				: DockerImageName.parse(MariaDbReplicaSetContainer.DEFAULT_IMAGE);
	}

	private static boolean hasLocal() {
		return hasLocal(LOCAL);
	}

	private static boolean hasLocal(String image) {
		try {
			DockerClientFactory.instance().client().inspectImageCmd(image).exec();
			return true;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

}
