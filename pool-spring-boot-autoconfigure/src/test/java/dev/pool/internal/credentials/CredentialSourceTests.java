package dev.pool.internal.credentials;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.pool.PoolCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a login source reads and what it shows: files lose their trailing line breaks and
 * nothing else, a provider has the last word, and no description or {@code toString}
 * carries a secret.
 */
class CredentialSourceTests {

	@Test
	void aFileLosesItsTrailingLineBreaksAndNothingElse(@TempDir Path directory) throws Exception {
		Path file = Files.writeString(directory.resolve("password"), " pa ss\t\r\n\n");
		assertThat(Secret.file(file, "app.datasource.primary.password-file").read()).isEqualTo(" pa ss\t");
		Files.writeString(file, "no-newline");
		assertThat(Secret.file(file, "app.datasource.primary.password-file").read()).isEqualTo("no-newline");
	}

	@Test
	void aFileIsReadAgainForEveryLogin(@TempDir Path directory) throws Exception {
		Path file = Files.writeString(directory.resolve("password"), "one\n");
		CredentialSource source = CredentialSource.of("primary", Secret.literal("app", "username"),
				Secret.file(file, "app.datasource.primary.password-file"), null, null);
		assertThat(source.login()).isEqualTo(new PoolCredentials.Login("app", "one"));
		Files.writeString(file, "two\n");
		assertThat(source.login()).isEqualTo(new PoolCredentials.Login("app", "two"));
		assertThat(source.rotates()).isTrue();
		assertThat(CredentialSource.literal("primary", "app", "one").rotates()).isFalse();
	}

	@Test
	void aProviderHasTheLastWordAndIsAskedWithThePoolsName(@TempDir Path directory) throws Exception {
		Path file = Files.writeString(directory.resolve("password"), "configured\n");
		PoolCredentials provider = (pool, configured) -> pool.equals("replica-1")
				? new PoolCredentials.Login("iam_user", "token-for-" + configured.password()) : null;
		CredentialSource primary = CredentialSource.of("primary", Secret.literal("app", "username"),
				Secret.file(file, "app.datasource.primary.password-file"), provider, null);
		assertThat(primary.login()).isEqualTo(new PoolCredentials.Login("app", "configured"));
		assertThat(primary.forPool("replica-1").login())
			.isEqualTo(new PoolCredentials.Login("iam_user", "token-for-configured"));
	}

	@Test
	void noDescriptionShowsASecret(@TempDir Path directory) throws Exception {
		Path file = Files.writeString(directory.resolve("password"), "file-Secret-1\n");
		CredentialSource source = CredentialSource.of("primary", Secret.literal("app", "username"),
				Secret.file(file, "app.datasource.primary.password-file"), null, null);
		assertThat(source.describe()).isEqualTo("app.datasource.primary.password-file " + file);
		assertThat(source.toString()).doesNotContain("file-Secret-1");
		assertThat(CredentialSource.literal("primary", "app", "literal-Secret-2").toString())
			.doesNotContain("literal-Secret-2")
			.contains("literal");
		assertThat(Secret.literal("literal-Secret-2", "app.datasource.primary.password").toString())
			.doesNotContain("literal-Secret-2");
		assertThat(new PoolCredentials.Login("app", "token-Secret-3").toString()).doesNotContain("token-Secret-3")
			.contains("app");
		LiveCredentials live = new LiveCredentials(source);
		assertThat(live.toString()).doesNotContain("file-Secret-1");
		assertThat(live.current().toString()).doesNotContain("file-Secret-1");
	}

	@Test
	void aNewPasswordInAFileStartsAGenerationATokenDoesNot(@TempDir Path directory) throws Exception {
		Path file = Files.writeString(directory.resolve("password"), "one\n");
		LiveCredentials fromFile = new LiveCredentials(CredentialSource.of("primary", Secret.literal("app", "username"),
				Secret.file(file, "app.datasource.primary.password-file"), null, null));
		assertThat(fromFile.refresh().number()).isZero();
		Files.writeString(file, "two\n");
		assertThat(fromFile.refresh().number()).isOne();
		assertThat(fromFile.rotations()).isOne();
		int[] calls = { 0 };
		LiveCredentials fromTokens = new LiveCredentials(
				CredentialSource.of("primary", Secret.literal("app", "username"), Secret.literal(null, "password"),
						(pool, configured) -> new PoolCredentials.Login("app", "t" + calls[0]++), null));
		fromTokens.refresh();
		fromTokens.refresh();
		assertThat(fromTokens.current().number()).isZero();
		assertThat(fromTokens.current().login().password()).isEqualTo("t2");
		assertThat(fromTokens.rotations()).isZero();
	}

}
