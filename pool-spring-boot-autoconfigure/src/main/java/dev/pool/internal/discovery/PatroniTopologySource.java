package dev.pool.internal.discovery;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.pool.TopologySource;
import dev.pool.internal.datasource.JdbcUrls;

import org.springframework.boot.json.JsonParser;
import org.springframework.boot.json.JsonParserFactory;

/**
 * Reads a Patroni cluster from any member's REST API ({@code GET /cluster}): the member
 * whose role is {@code leader} (or {@code standby_leader}) and whose state is
 * {@code running} is the primary; members with role {@code replica} or
 * {@code sync_standby} in state {@code streaming} or {@code running}, without the
 * {@code noloadbalance} tag, are the replicas, with Patroni's own lag figure. The URL
 * that answered last is asked first next time.
 * <p>
 * A leader Patroni lists but does not report running (a killed member whose key has not
 * expired yet, one being rebuilt) is not taken as a new primary: the answer then names
 * none and the current primary stays.
 */
public final class PatroniTopologySource implements TopologySource {

	private static final Set<String> LEADER_ROLES = Set.of("leader", "standby_leader", "master", "primary");

	private static final Set<String> REPLICA_ROLES = Set.of("replica", "sync_standby", "quorum_standby");

	private static final Set<String> SERVING_STATES = Set.of("streaming", "running");

	private final List<URI> urls;

	private final Duration timeout;

	private final HttpClient client;

	private final JsonParser json = JsonParserFactory.getJsonParser();

	private volatile int preferred;

	/**
	 * Creates the source.
	 * @param urls the members' REST API base URLs
	 * @param timeout how long one request may take
	 */
	public PatroniTopologySource(List<URI> urls, Duration timeout) {
		this.urls = List.copyOf(urls);
		this.timeout = timeout;
		this.client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(timeout)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	@Override
	public Nodes read() throws IOException, InterruptedException {
		List<String> failures = new ArrayList<>();
		int start = this.preferred;
		for (int i = 0; i < this.urls.size(); i++) {
			int index = (start + i) % this.urls.size();
			URI url = this.urls.get(index);
			try {
				Nodes nodes = parse(get(url.resolve("/cluster")));
				this.preferred = index;
				return nodes;
			}
			catch (IOException | RuntimeException ex) {
				failures.add(shown(url) + ": " + ex.getClass().getSimpleName()
						+ ((ex.getMessage() != null) ? " " + ex.getMessage() : ""));
			}
		}
		throw new IOException("No Patroni REST API answered (" + String.join("; ", failures) + ")");
	}

	private String get(URI uri) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(uri)
			.timeout(this.timeout)
			.header("Accept", "application/json")
			.GET()
			.build();
		HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IOException("HTTP " + response.statusCode());
		}
		return response.body();
	}

	Nodes parse(String body) {
		Map<String, Object> cluster = this.json.parseMap(body);
		Node primary = null;
		List<Node> replicas = new ArrayList<>();
		if (cluster.get("members") instanceof List<?> members) {
			for (Object item : members) {
				if (!(item instanceof Map<?, ?> member) || !(member.get("name") instanceof String name)
						|| !(member.get("host") instanceof String host)) {
					continue;
				}
				int port = (member.get("port") instanceof Number number) ? number.intValue() : 5432;
				String role = String.valueOf(member.get("role"));
				String state = String.valueOf(member.get("state"));
				if (LEADER_ROLES.contains(role)) {
					if ("running".equals(state)) {
						primary = new Node(name, host, port, null);
					}
				}
				else if (REPLICA_ROLES.contains(role) && SERVING_STATES.contains(state) && !noLoadBalance(member)) {
					Long lag = (member.get("lag") instanceof Number number) ? number.longValue() : null;
					replicas.add(new Node(name, host, port, lag));
				}
			}
		}
		return new Nodes(primary, replicas, Duration.ZERO);
	}

	private static boolean noLoadBalance(Map<?, ?> member) {
		if (member.get("tags") instanceof Map<?, ?> tags) {
			Object value = tags.get("noloadbalance");
			return Boolean.TRUE.equals(value) || "true".equalsIgnoreCase(String.valueOf(value));
		}
		return false;
	}

	@Override
	public String describe() {
		return "Patroni " + String.join(", ", this.urls.stream().map(PatroniTopologySource::shown).toList());
	}

	// A REST API URL may carry basic-auth credentials: never shown.
	private static String shown(URI url) {
		return JdbcUrls.withoutCredentials(url.toString());
	}

}
