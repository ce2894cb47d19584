package dev.pool.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * A directory laid out as Kubernetes mounts a secret: each key a symlink through
 * {@code ..data} to a directory of the current version, and an update swaps
 * {@code ..data} in one rename, so a reader sees all keys old or all keys new.
 */
final class SecretVolume {

	private final Path directory;

	private int version;

	SecretVolume(Path directory, Map<String, String> keys) throws IOException {
		this.directory = directory;
		Path data = writeVersion(keys);
		Files.createSymbolicLink(directory.resolve("..data"), data.getFileName());
		for (String key : keys.keySet()) {
			Files.createSymbolicLink(directory.resolve(key), Path.of("..data", key));
		}
	}

	/** The path an application is given for a key. */
	Path file(String key) {
		return this.directory.resolve(key);
	}

	/** Replaces every key at once, as the kubelet does. */
	void update(Map<String, String> keys) throws IOException {
		Path data = writeVersion(keys);
		Path link = this.directory.resolve("..data_tmp");
		Files.deleteIfExists(link);
		Files.createSymbolicLink(link, data.getFileName());
		Files.move(link, this.directory.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
				StandardCopyOption.REPLACE_EXISTING);
	}

	private Path writeVersion(Map<String, String> keys) throws IOException {
		Path data = Files.createDirectory(this.directory.resolve("..v" + (++this.version)));
		for (Map.Entry<String, String> key : keys.entrySet()) {
			// The kubelet writes what the secret holds; a trailing newline is common.
			Files.writeString(data.resolve(key.getKey()), key.getValue() + "\n", StandardCharsets.UTF_8);
		}
		return data;
	}

}
