package dev.pool.internal.credentials;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/**
 * One half of a login, a username or a password: a literal setting or a file read again
 * whenever it is needed (a Kubernetes secret, a Vault Agent template). Its
 * {@code toString} shows where it comes from, never what it holds.
 *
 * @param literal the configured value, when it is not a file
 * @param file the file it is read from, or {@code null}
 * @param property the property that configures it, for messages
 */
public record Secret(@Nullable String literal, @Nullable Path file, String property) {

	/**
	 * A configured value.
	 * @param value the value, or {@code null} for none
	 * @param property the property that set it
	 * @return the secret
	 */
	public static Secret literal(@Nullable String value, String property) {
		return new Secret(value, null, property);
	}

	/**
	 * A file whose content is the value.
	 * @param file the file
	 * @param property the property that names it
	 * @return the secret
	 */
	public static Secret file(Path file, String property) {
		return new Secret(null, file, property);
	}

	/**
	 * The value now: a file's content without its trailing line breaks, nothing else
	 * stripped.
	 * @return the value, or {@code null} when a literal was not set
	 * @throws IOException when the file cannot be read
	 */
	public @Nullable String read() throws IOException {
		if (this.file == null) {
			return this.literal;
		}
		String content = Files.readString(this.file, StandardCharsets.UTF_8);
		int end = content.length();
		while (end > 0 && (content.charAt(end - 1) == '\n' || content.charAt(end - 1) == '\r')) {
			end--;
		}
		return content.substring(0, end);
	}

	/**
	 * Whether the value may change while the application runs.
	 * @return true for a file
	 */
	public boolean isFile() {
		return this.file != null;
	}

	@Override
	public String toString() {
		return (this.file != null) ? this.property + " " + this.file : this.property;
	}

}
