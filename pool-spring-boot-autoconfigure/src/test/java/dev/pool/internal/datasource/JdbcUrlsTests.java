package dev.pool.internal.datasource;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JdbcUrls}.
 */
class JdbcUrlsTests {

	@Test
	void aUrlWithoutCredentialsIsUnchanged() {
		assertThat(JdbcUrls.withoutCredentials("jdbc:postgresql://db:5432/shop?sslmode=require"))
			.isEqualTo("jdbc:postgresql://db:5432/shop?sslmode=require");
	}

	@Test
	void userInfoInTheAuthorityIsMasked() {
		assertThat(JdbcUrls.withoutCredentials("jdbc:postgresql://shop:s3cret@db:5432/shop"))
			.isEqualTo("jdbc:postgresql://******@db:5432/shop");
	}

	@Test
	void credentialParametersAreMaskedWhateverTheirCaseOrSeparator() {
		assertThat(JdbcUrls.withoutCredentials("jdbc:postgresql://db/shop?user=shop&Password=s3cret&ssl=true"))
			.isEqualTo("jdbc:postgresql://db/shop?user=******&Password=******&ssl=true");
		assertThat(JdbcUrls.withoutCredentials("jdbc:sqlserver://db;databaseName=shop;pwd=s3cret;encrypt=true"))
			.isEqualTo("jdbc:sqlserver://db;databaseName=shop;pwd=******;encrypt=true");
		assertThat(JdbcUrls.withoutCredentials("jdbc:postgresql://db/shop?sslpassword=k3y&sslkey=/k.pem"))
			.isEqualTo("jdbc:postgresql://db/shop?sslpassword=******&sslkey=******");
	}

	@Test
	void multiHostUrlsKeepEveryHost() {
		assertThat(JdbcUrls.withoutCredentials("jdbc:postgresql://h1:5432,h2:5432/shop?targetServerType=primary"))
			.isEqualTo("jdbc:postgresql://h1:5432,h2:5432/shop?targetServerType=primary");
	}

	@Test
	void theServersOfAUrlAreReadByItsDriver() {
		assertThat(JdbcUrls.hosts("jdbc:postgresql://h1:5433,h2/shop?targetServerType=primary"))
			.containsExactly("h1:5433", "h2:5432");
		assertThat(JdbcUrls.hosts("jdbc:mariadb:sequential://h1:3307,h2/shop")).containsExactly("h1:3307", "h2:3306");
		assertThat(JdbcUrls.hosts("jdbc:mariadb://db/shop")).containsExactly("db:3306");
		assertThat(JdbcUrls.hosts("jdbc:mysql://h1:3307,h2/shop")).containsExactly("h1:3307", "h2:3306");
		assertThat(JdbcUrls.hosts("jdbc:mysql://db/shop")).containsExactly("db:3306");
		assertThat(JdbcUrls.hosts("jdbc:h2:mem:testdb")).isEmpty();
	}

	@Test
	void anEmbeddedUrlIsUnchanged() {
		assertThat(JdbcUrls.withoutCredentials("jdbc:h2:mem:testdb;DB_CLOSE_DELAY=-1"))
			.isEqualTo("jdbc:h2:mem:testdb;DB_CLOSE_DELAY=-1");
	}

}
