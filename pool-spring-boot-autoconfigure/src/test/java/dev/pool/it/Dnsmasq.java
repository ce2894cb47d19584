package dev.pool.it;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real DNS server on loopback: Debian's {@code dnsmasq} (installed by
 * {@code scripts/install-ha-packages.sh}) answering from a hosts file this class writes,
 * and from SRV records, and nothing else (no upstream, no {@code /etc/hosts}). A changed
 * hosts file is served after {@link #reload()} (SIGHUP, as dnsmasq documents); SRV
 * records take a {@link #restart()}.
 */
final class Dnsmasq implements AutoCloseable {

	private static final Path BINARY = Path.of("/usr/sbin/dnsmasq");

	private final Path directory;

	private final int port;

	private final int ttlSeconds;

	private final List<String> srv = new ArrayList<>();

	private Process process;

	Dnsmasq(int ttlSeconds) throws IOException {
		if (!Files.isExecutable(BINARY)) {
			throw new IllegalStateException("dnsmasq is not installed (no " + BINARY
					+ "): the DNS topology tests need the dnsmasq package; install it with "
					+ "scripts/install-ha-packages.sh (as root)");
		}
		this.ttlSeconds = ttlSeconds;
		this.directory = Files.createTempDirectory("pool-dnsmasq-");
		this.directory.toFile().setReadable(true, false);
		this.directory.toFile().setExecutable(true, false);
		// A port free for UDP and TCP: dnsmasq binds both.
		int port;
		do {
			try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
				port = socket.getLocalPort();
			}
		}
		while (!tcpFree(port));
		this.port = port;
		hosts(List.of());
		this.process = start();
	}

	private static boolean tcpFree(int port) {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** The address to ask, as {@code app.datasource.topology.dns.resolver} takes it. */
	String resolver() {
		return "127.0.0.1:" + this.port;
	}

	/** Writes the hosts file: each line {@code address name}; served after a reload. */
	void hosts(List<String> lines) throws IOException {
		Path hosts = this.directory.resolve("hosts");
		Files.writeString(hosts, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
		hosts.toFile().setReadable(true, false);
	}

	/** SRV records, each {@code service,target,port}; served after a restart. */
	void srv(List<String> records) {
		this.srv.clear();
		this.srv.addAll(records);
	}

	/** Makes dnsmasq read the hosts file again (SIGHUP). */
	void reload() throws IOException, InterruptedException {
		Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(this.process.pid())).start();
		if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
			throw new IllegalStateException("kill -HUP dnsmasq failed");
		}
	}

	/** Stops dnsmasq: nothing answers on its port until {@link #restart()}. */
	void stop() throws InterruptedException {
		this.process.destroy();
		this.process.waitFor(10, TimeUnit.SECONDS);
	}

	/** Starts dnsmasq again on the same port, with the current records. */
	void restart() throws IOException, InterruptedException {
		stop();
		this.process = start();
	}

	private Process start() throws IOException {
		List<String> command = new ArrayList<>(
				List.of(BINARY.toString(), "--keep-in-foreground", "--conf-file=/dev/null", "--port=" + this.port,
						"--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts", "--no-poll",
						"--addn-hosts=" + this.directory.resolve("hosts"), "--local-ttl=" + this.ttlSeconds,
						"--pid-file=" + this.directory.resolve("dnsmasq.pid"), "--log-facility=-"));
		if ("root".equals(System.getProperty("user.name"))) {
			// dnsmasq drops root for 'nobody' by default; the files are world-readable.
			command.add("--user=nobody");
		}
		for (String record : this.srv) {
			command.add("--srv-host=" + record);
		}
		Process started = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(this.directory.resolve("dnsmasq.log").toFile())
			.start();
		awaitListening(started);
		return started;
	}

	// dnsmasq logs that it started once its sockets are bound.
	private void awaitListening(Process started) throws IOException {
		Path log = this.directory.resolve("dnsmasq.log");
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < deadline) {
			String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
			if (!started.isAlive()) {
				throw new IllegalStateException("dnsmasq exited: " + text);
			}
			if (text.contains("started, version")) {
				return;
			}
			Thread.onSpinWait();
		}
		throw new IllegalStateException("dnsmasq did not start on port " + this.port);
	}

	@Override
	public void close() throws Exception {
		stop();
		try (var files = Files.list(this.directory)) {
			for (Path file : files.toList()) {
				Files.deleteIfExists(file);
			}
		}
		Files.deleteIfExists(this.directory);
	}

}
