package dev.pool.testcontainers;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;

/**
 * The PostgreSQL image the tests use: the locally built stand-in where
 * docker/postgres/build-image.sh made one (no registry needed), else the official image.
 */
final class TestImages {

	static final String LOCAL = "pool-local/postgres:17";

	private TestImages() {
	}

	static DockerImageName postgres() {
		return hasLocal() ? DockerImageName.parse(LOCAL).asCompatibleSubstituteFor("postgres")
				: DockerImageName.parse(PostgresReplicaSetContainer.DEFAULT_IMAGE);
	}

	static String postgresName() {
		return hasLocal() ? LOCAL : PostgresReplicaSetContainer.DEFAULT_IMAGE;
	}

	private static boolean hasLocal() {
		try {
			DockerClientFactory.instance().client().inspectImageCmd(LOCAL).exec();
			return true;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

}
