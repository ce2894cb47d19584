package dev.pool.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Runs PostgreSQL's tools, as an unprivileged operating-system user when the JVM is root
 * (PostgreSQL refuses to run as root).
 */
final class Processes {

	/** System property naming the unprivileged user used when the JVM runs as root. */
	static final String OS_USER_PROPERTY = "pool.embedded-postgres.os-user";

	private final @Nullable String runAs;

	private Processes(@Nullable String runAs) {
		this.runAs = runAs;
	}

	static Processes forCurrentUser() {
		if (!isRoot()) {
			return new Processes(null);
		}
		String user = System.getProperty(OS_USER_PROPERTY, "nobody");
		if (!Files.isExecutable(Path.of("/usr/sbin/runuser")) && !Files.isExecutable(Path.of("/sbin/runuser"))) {
			throw new EmbeddedPostgresException("The JVM runs as root and PostgreSQL refuses root, but 'runuser' "
					+ "(util-linux) was not found to start it as '" + user + "'. Run the tests as an ordinary user.");
		}
		return new Processes(user);
	}

	static boolean isRoot() {
		try {
			Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
			return Integer.valueOf(0).equals(uid);
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			return "root".equals(System.getProperty("user.name"));
		}
	}

	/**
	 * Whether a process is alive; a zombie (exited, not yet reaped, which happens when
	 * the server was reparented to an init that never reaps) counts as dead.
	 */
	static boolean isAlive(long pid) {
		Path stat = Path.of("/proc", Long.toString(pid), "stat");
		if (Files.isDirectory(Path.of("/proc/self"))) {
			try {
				String content = Files.readString(stat, StandardCharsets.US_ASCII);
				// The state follows the parenthesised command name, which may itself
				// contain spaces.
				int end = content.lastIndexOf(')');
				return end > 0 && end + 2 < content.length() && content.charAt(end + 2) != 'Z';
			}
			catch (IOException ex) {
				return false;
			}
		}
		return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
	}

	/** The user the server processes run as, or {@code null} for the JVM's own user. */
	@Nullable String runAs() {
		return this.runAs;
	}

	/** Hands a path created by the JVM to the user who runs the server. */
	void own(Path path) throws IOException {
		if (this.runAs == null) {
			return;
		}
		UserPrincipal owner = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(this.runAs);
		try (var paths = Files.walk(path)) {
			for (Path p : (Iterable<Path>) paths::iterator) {
				Files.setOwner(p, owner);
			}
		}
	}

	/**
	 * The primary group of a user ({@code id -gn}), for {@code setpriv --regid}.
	 * @param user the user
	 * @return the group's name
	 */
	String groupOf(String user) {
		Result result = runAsSelf(10, List.of("id", "-gn", user));
		if (!result.ok() || result.output().isBlank()) {
			throw new EmbeddedPostgresException("Could not find the group of user '" + user + "': " + result.output());
		}
		return result.output().trim();
	}

	/** Runs a command to completion as the server's user. */
	Result run(long timeoutSeconds, List<String> command) {
		List<String> full = new ArrayList<>();
		if (this.runAs != null) {
			full.addAll(List.of("runuser", "-u", this.runAs, "--"));
		}
		full.addAll(command);
		return execute(timeoutSeconds, full);
	}

	/** Runs a command to completion as the JVM's own user. */
	Result runAsSelf(long timeoutSeconds, List<String> command) {
		return execute(timeoutSeconds, command);
	}

	private static Result execute(long timeoutSeconds, List<String> full) {
		try {
			Path output = Files.createTempFile("pool-pg-cmd", ".log");
			try {
				Process process = new ProcessBuilder(full).redirectErrorStream(true)
					.redirectOutput(output.toFile())
					.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
					.start();
				if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
					process.destroyForcibly();
					throw new EmbeddedPostgresException("Command timed out after " + timeoutSeconds + "s: " + full);
				}
				return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
			}
			finally {
				Files.deleteIfExists(output);
			}
		}
		catch (IOException ex) {
			throw new EmbeddedPostgresException("Could not run " + full + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new EmbeddedPostgresException("Interrupted while running " + full, ex);
		}
	}

	/** Exit code and output of a finished command. */
	record Result(int exitCode, String output) {

		boolean ok() {
			return this.exitCode == 0;
		}

	}

}
