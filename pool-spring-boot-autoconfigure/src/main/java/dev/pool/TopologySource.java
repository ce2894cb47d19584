package dev.pool;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Where the database nodes come from while the application runs: the primary (when the
 * source knows it) and the replicas. The starter reads it every
 * {@code app.datasource.topology.refresh-interval} (every 250 ms while the primary is
 * unreachable) on a thread of its own, never on a request, and follows the answer: a
 * replica that appears gets a pool and takes reads after its first check, one that
 * disappears is drained and closed, a new primary replaces the old one. Each node's JDBC
 * URL is {@code app.datasource.topology.url-template} with its host and port; its
 * credentials and pool settings are {@code app.datasource.primary}'s, overridden by
 * {@code app.datasource.replicas.<name>}.
 * <p>
 * Patroni and DNS come built in ({@code app.datasource.topology.source: patroni | dns});
 * declare a bean of this type with {@code source: custom} to read Consul, the Kubernetes
 * API or a cloud provider instead.
 */
@FunctionalInterface
public interface TopologySource {

	/**
	 * Reads the nodes once. Bound the call yourself (a network call should give up within
	 * {@code app.datasource.topology.request-timeout}): the next read waits for this one.
	 * @return the nodes now
	 * @throws Exception when the source cannot be read: the starter keeps the topology it
	 * last knew, says so in health and {@code /actuator/pools}, and tries again
	 */
	Nodes read() throws Exception;

	/**
	 * Whether the source names the primary. When it does not, the primary is the one
	 * configured under {@code app.datasource.primary} (or Boot's
	 * {@code spring.datasource}) and only the replicas follow the source.
	 * @return true by default
	 */
	default boolean namesPrimary() {
		return true;
	}

	/**
	 * What the source reads, for health, {@code /actuator/pools} and logs; never a
	 * secret.
	 * @return for example the URLs it asks
	 */
	default String describe() {
		return getClass().getSimpleName();
	}

	/**
	 * One answer of a source.
	 *
	 * @param primary the node that accepts writes now, or {@code null} when there is none
	 * at the moment (an election is under way) or the source does not name one: the
	 * current primary stays
	 * @param replicas the nodes that may serve reads
	 * @param validFor how long the answer holds (a DNS TTL): the source is not read again
	 * sooner; {@link Duration#ZERO} for no lower bound
	 */
	record Nodes(@Nullable Node primary, List<Node> replicas, Duration validFor) {

		public Nodes {
			Assert.notNull(replicas, "'replicas' must not be null");
			Assert.notNull(validFor, "'validFor' must not be null");
			replicas = List.copyOf(replicas);
		}

	}

	/**
	 * One database node.
	 *
	 * @param name the node's name: the replica's pool name ({@code pg-2}), unique in an
	 * answer, and the key of {@code app.datasource.replicas.<name>} overrides
	 * @param host the host name or address its URL connects to
	 * @param port its port
	 * @param lagBytes how far behind the primary the source says it is, {@code null} when
	 * it does not say
	 */
	record Node(String name, String host, int port, @Nullable Long lagBytes) {

		public Node {
			Assert.hasText(name, "'name' must not be empty");
			Assert.hasText(host, "'host' must not be empty");
			Assert.isTrue(port > 0 && port < 65536, "'port' must be between 1 and 65535");
		}

		/**
		 * The node as {@code host:port}.
		 * @return the address
		 */
		public String address() {
			return (this.host.indexOf(':') >= 0 ? "[" + this.host + "]" : this.host) + ":" + this.port;
		}

	}

}
