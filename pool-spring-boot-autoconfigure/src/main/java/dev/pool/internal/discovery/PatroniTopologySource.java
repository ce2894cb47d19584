package dev.pool.internal.discovery;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.pool.TopologySource;
import dev.pool.internal.datasource.JdbcUrls;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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

	private final JsonMapper json = JsonMapper.builder().build();

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
				// An answer that is not Patroni's JSON fails like no answer.
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
		JsonNode cluster = this.json.readTree(body);
		Node primary = null;
		List<Node> replicas = new ArrayList<>();
		for (JsonNode member : cluster.path("members")) {
			String name = member.path("name").asString(null);
			String host = member.path("host").asString(null);
			if (name == null || name.isEmpty() || host == null || host.isEmpty()) {
				continue;
			}
			int port = member.path("port").asInt(5432);
			String role = member.path("role").asString("");
			String state = member.path("state").asString("");
			if (LEADER_ROLES.contains(role)) {
				if ("running".equals(state)) {
					primary = new Node(name, host, port, null);
				}
			}
			else if (REPLICA_ROLES.contains(role) && SERVING_STATES.contains(state)
					&& !member.path("tags").path("noloadbalance").asBoolean(false)) {
				JsonNode lag = member.path("lag");
				replicas.add(new Node(name, host, port, lag.isNumber() ? lag.asLong() : null));
			}
		}
		return new Nodes(primary, replicas, Duration.ZERO);
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
