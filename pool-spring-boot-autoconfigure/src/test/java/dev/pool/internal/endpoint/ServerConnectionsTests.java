package dev.pool.internal.endpoint;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ServerConnections#server}: servers as the PostgreSQL driver reads a
 * URL, so a multi-host URL is not taken for one unknown server ({@code null:-1}).
 */
class ServerConnectionsTests {

	@Test
	void aSingleHostUrlIsOneServer() {
		assertThat(ServerConnections.server("jdbc:postgresql://db-1:5433/shop")).isEqualTo("db-1:5433");
		assertThat(ServerConnections.server("jdbc:postgresql://db-1/shop")).isEqualTo("db-1:5432");
	}

	@Test
	void aMultiHostUrlNamesEachOfItsServers() {
		assertThat(ServerConnections
			.server("jdbc:postgresql://db-1:5432,db-2:5433/shop?targetServerType=primary&password=secret"))
			.isEqualTo("db-1:5432,db-2:5433");
		assertThat(ServerConnections.server("jdbc:postgresql://db-1,db-2/shop")).isEqualTo("db-1:5432,db-2:5432");
	}

	@Test
	void aUrlTheDriverCannotReadIsShownMasked() {
		assertThat(ServerConnections.server("jdbc:postgresql://user:secret@/")).doesNotContain("secret");
	}

}
