package dev.pool.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports for the servers the tests start, chosen below the kernel's ephemeral range:
 * a port from that range that is free now may be the local end of some client's
 * connection by the time the server binds it, seconds later (initdb, a base copy, etcd
 * starting); one below it is taken only by a listener that binds it on purpose.
 */
final class Ports {

	private Ports() {
	}

	/**
	 * A port nothing listens on now.
	 * @param address where it will be bound
	 * @return the port
	 * @throws IOException when not even the system can give one
	 */
	static int free(InetAddress address) throws IOException {
		int below = ephemeralLow();
		ThreadLocalRandom random = ThreadLocalRandom.current();
		for (int attempt = 0; attempt < 50 && below > 10_001; attempt++) {
			int candidate = random.nextInt(10_000, below);
			try (ServerSocket socket = new ServerSocket(candidate, 1, address)) {
				return candidate;
			}
			catch (IOException taken) {
				// Someone listens there: try another.
			}
		}
		try (ServerSocket socket = new ServerSocket(0, 1, address)) {
			return socket.getLocalPort();
		}
	}

	// The first port of Linux's ephemeral range (32768 by default, and elsewhere).
	private static int ephemeralLow() {
		try {
			String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
			return Integer.parseInt(range.split("\\s+")[0]);
		}
		catch (IOException | RuntimeException ex) {
			return 32768;
		}
	}

}
