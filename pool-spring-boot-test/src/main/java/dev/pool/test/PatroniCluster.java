package dev.pool.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real high-availability PostgreSQL cluster on loopback: one etcd and N Patroni members
 * driving the system's PostgreSQL (Debian's {@code patroni}, {@code etcd-server} and
 * {@code postgresql} packages; {@code scripts/install-ha-packages.sh} installs them). The
 * first member bootstraps and leads, the others clone it and stream; Patroni elects a new
 * leader when the leader dies. Faults are real: {@link #kill} sends SIGKILL to a member's
 * Patroni and postmaster, {@link #freeze} SIGSTOPs them.
 * <p>
 * When the JVM runs as root, Patroni (and through it PostgreSQL, which refuses root) runs
 * as an unprivileged user ({@code nobody}, or {@code pool.embedded-postgres.os-user}),
 * started with {@code setpriv} so the process the JVM holds is Patroni itself. Logins
 * over TCP need a password (scram-sha-256); replication is trusted on loopback.
 */
public final class PatroniCluster implements AutoCloseable {

	/** The superuser the cluster is bootstrapped with. */
	public static final String SUPERUSER = "postgres";

	private static final String INSTALL_HINT = "install them with scripts/install-ha-packages.sh (as root)";

	private static final Duration STARTUP = Duration.ofSeconds(90);

	private final Path directory;

	private final Binaries binaries;

	private final Processes processes;

	private final Settings settings;

	private final int etcdPort;

	private final int etcdPeerPort;

	private @Nullable Process etcd;

	private final Map<String, Member> members = new LinkedHashMap<>();

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(1))
		.build();

	private final JsonMapper json = JsonMapper.builder().build();

	private final Thread shutdownHook = new Thread(this::closeQuietly, "pool-patroni-cluster-shutdown");

	private int nextMember = 1;

	private PatroniCluster(Path directory, Binaries binaries, Processes processes, Settings settings) {
		this.directory = directory;
		this.binaries = binaries;
		this.processes = processes;
		this.settings = settings;
		this.etcdPort = freePort();
		this.etcdPeerPort = freePort();
	}

	/**
	 * Starts configuring a cluster.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The superuser's password.
	 * @return the password
	 */
	public String password() {
		return this.settings.password;
	}

	/**
	 * Every member's REST API base URL, in member order.
	 * @return the URLs, such as {@code http://127.0.0.1:38008}
	 */
	public List<String> restUrls() {
		return this.members.values().stream().map(Member::restUrl).toList();
	}

	/**
	 * A JDBC URL template for a database, as {@code app.datasource.topology.url-template}
	 * takes it.
	 * @param database the database
	 * @return {@code jdbc:postgresql://{host}:{port}/<database>}
	 */
	public String urlTemplate(String database) {
		return "jdbc:postgresql://{host}:{port}/" + database;
	}

	/**
	 * The starter's properties for one database of this cluster: the topology from
	 * Patroni's REST API, the superuser's login for every node (as
	 * {@link EmbeddedPostgresProperties#of} gives them for an embedded cluster).
	 * @param database the database
	 * @return {@code app.datasource.topology.*} and the primary's credentials
	 */
	public Map<String, String> topologyProperties(String database) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("app.datasource.topology.source", "patroni");
		properties.put("app.datasource.topology.patroni.urls", String.join(",", restUrls()));
		properties.put("app.datasource.topology.url-template", urlTemplate(database));
		properties.put("app.datasource.primary.username", SUPERUSER);
		properties.put("app.datasource.primary.password", password());
		return properties;
	}

	/**
	 * The names of the members started so far, whether running or not.
	 * @return the names, such as {@code pg-1}
	 */
	public List<String> memberNames() {
		return List.copyOf(this.members.keySet());
	}

	/**
	 * A member's PostgreSQL port.
	 * @param member the member's name
	 * @return the port on 127.0.0.1
	 */
	public int port(String member) {
		return member(member).pgPort;
	}

	/**
	 * What Patroni reports ({@code GET /cluster}), asked of the members in turn until one
	 * answers.
	 * @return each member's state, by name
	 * @throws IllegalStateException when no member's REST API answers
	 */
	public List<MemberState> state() {
		List<String> failures = new ArrayList<>();
		for (Member member : this.members.values()) {
			try {
				return parse(get(member.restUrl() + "/cluster"));
			}
			catch (IOException ex) {
				failures.add(member.name + ": " + ex.getMessage());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted", ex);
			}
		}
		throw new IllegalStateException("No Patroni REST API answered: " + failures);
	}

	/**
	 * The running leader Patroni names, if any.
	 * @return its name, empty while there is none (or no member answers)
	 */
	public Optional<String> leader() {
		try {
			return state().stream()
				.filter((member) -> member.isLeader() && "running".equals(member.state()))
				.map(MemberState::name)
				.findFirst();
		}
		catch (IllegalStateException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Waits until Patroni's view of the cluster satisfies a condition.
	 * @param description what is awaited, for the failure message
	 * @param condition the condition on every member's state
	 * @param timeout how long to wait
	 * @return the state that satisfied it
	 * @throws EmbeddedPostgresException when the timeout passes first
	 */
	public List<MemberState> await(String description, Predicate<List<MemberState>> condition, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		String last = "no answer";
		while (true) {
			try {
				List<MemberState> state = state();
				if (condition.test(state)) {
					return state;
				}
				last = state.toString();
			}
			catch (IllegalStateException ex) {
				last = ex.getMessage();
			}
			if (System.nanoTime() - deadline >= 0) {
				throw new EmbeddedPostgresException("Patroni cluster: " + description + " not reached within "
						+ timeout.toMillis() + "ms; last state: " + last + "\n" + logTails());
			}
			sleep(100);
		}
	}

	/**
	 * Waits until the cluster has a running leader and every member that runs streams
	 * from it.
	 * @param timeout how long to wait
	 * @return the state then
	 */
	public List<MemberState> awaitHealthy(Duration timeout) {
		return await("a leader and " + (runningMembers() - 1) + " streaming replicas", (state) -> {
			long leaders = state.stream().filter((m) -> m.isLeader() && "running".equals(m.state())).count();
			long streaming = state.stream().filter((m) -> !m.isLeader() && m.isServing()).count();
			return leaders == 1 && streaming == runningMembers() - 1;
		}, timeout);
	}

	private long runningMembers() {
		return this.members.values().stream().filter(Member::isRunning).count();
	}

	/**
	 * Creates a database on the leader (the replicas receive it by streaming).
	 * @param database the database name: lower-case letters, digits and underscores
	 */
	public void createDatabase(String database) {
		if (!database.matches("[a-z_][a-z0-9_]{0,62}")) {
			throw new IllegalArgumentException("Not a simple database name: " + database);
		}
		execute("CREATE DATABASE " + database);
	}

	/**
	 * Runs a statement on the leader, as the superuser, in database {@code postgres}.
	 * @param sql the statement
	 */
	public void execute(String sql) {
		String leader = leader().orElseThrow(() -> new EmbeddedPostgresException("The cluster has no leader"));
		try (Connection connection = connect(leader, "postgres"); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new EmbeddedPostgresException("Could not run on leader '" + leader + "': " + ex.getMessage(), ex);
		}
	}

	/**
	 * Opens a plain connection to a member, as the superuser.
	 * @param member the member's name
	 * @param database the database
	 * @return the connection
	 * @throws SQLException when the member cannot be reached
	 */
	public Connection connect(String member, String database) throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", SUPERUSER);
		properties.setProperty("password", this.settings.password);
		properties.setProperty("connectTimeout", "3");
		return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port(member) + "/" + database, properties);
	}

	/**
	 * Kills a member as a crash would: SIGKILL to its Patroni and its postmaster, at
	 * once.
	 * @param member the member's name
	 */
	public void kill(String member) {
		Member target = member(member);
		OptionalLong postmaster = target.postmasterPid();
		Process patroni = target.patroni;
		if (patroni != null) {
			patroni.destroyForcibly();
		}
		postmaster.ifPresent((pid) -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
		if (patroni != null) {
			try {
				patroni.waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		target.patroni = null;
	}

	/**
	 * Freezes a member (SIGSTOP to its Patroni and postmaster): it keeps its sockets open
	 * and answers nothing, as a hung server does.
	 * @param member the member's name
	 */
	public void freeze(String member) {
		signal(member, "STOP");
	}

	/**
	 * Lets a frozen member run again (SIGCONT).
	 * @param member the member's name
	 */
	public void thaw(String member) {
		signal(member, "CONT");
	}

	/**
	 * Freezes a member's Patroni only (SIGSTOP), leaving its PostgreSQL running: its REST
	 * API stops answering. Thaw it within the leader key's TTL, or Patroni elects again.
	 * @param member the member's name
	 */
	public void freezeAgent(String member) {
		signal(member, "STOP", false);
	}

	/**
	 * Lets a member's frozen Patroni run again (SIGCONT).
	 * @param member the member's name
	 */
	public void thawAgent(String member) {
		signal(member, "CONT", false);
	}

	/**
	 * Stalls a replica's WAL replay (SIGSTOP to its startup process) until
	 * {@link #resumeReplay}: it keeps receiving WAL and answering queries, and replays
	 * nothing. {@code pg_wal_replay_pause()} cannot do this under Patroni: on PostgreSQL
	 * 14+ Patroni resumes a paused replay at its next loop (every {@code loop_wait}).
	 * @param member a replica's name
	 */
	public void stallReplay(String member) {
		signalStartupProcess(member, "STOP");
	}

	/**
	 * Lets a stalled replay go on (SIGCONT to the replica's startup process).
	 * @param member a replica's name
	 */
	public void resumeReplay(String member) {
		signalStartupProcess(member, "CONT");
	}

	private void signalStartupProcess(String member, String signal) {
		String pid;
		try (Connection connection = connect(member, "postgres");
				Statement statement = connection.createStatement();
				ResultSet rs = statement
					.executeQuery("SELECT pid FROM pg_stat_activity WHERE backend_type = 'startup'")) {
			if (!rs.next()) {
				throw new EmbeddedPostgresException("Member '" + member + "' has no startup process: not a replica");
			}
			pid = Integer.toString(rs.getInt(1));
		}
		catch (SQLException ex) {
			throw new EmbeddedPostgresException(
					"Could not find the startup process of member '" + member + "': " + ex.getMessage(), ex);
		}
		send(signal, List.of(pid));
	}

	private void signal(String member, String signal) {
		signal(member, signal, true);
	}

	private void signal(String member, String signal, boolean postmasterToo) {
		Member target = member(member);
		List<String> pids = new ArrayList<>();
		if (target.patroni != null) {
			pids.add(Long.toString(target.patroni.pid()));
		}
		if (postmasterToo) {
			target.postmasterPid().ifPresent((pid) -> pids.add(Long.toString(pid)));
		}
		if (pids.isEmpty()) {
			return;
		}
		send(signal, pids);
	}

	private static void send(String signal, List<String> pids) {
		List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
		command.addAll(pids);
		Processes.Result result = Processes.forCurrentUser().runAsSelf(10, command);
		if (!result.ok()) {
			throw new EmbeddedPostgresException("kill -" + signal + " " + pids + " failed: " + result.output());
		}
	}

	/**
	 * Stops a member as an operator does: SIGTERM to its Patroni, which shuts its
	 * PostgreSQL down cleanly (a leader hands its key back) and exits.
	 * @param member the member's name
	 */
	public void stop(String member) {
		Member target = member(member);
		Process patroni = target.patroni;
		if (patroni == null) {
			return;
		}
		patroni.destroy();
		try {
			if (!patroni.waitFor(30, TimeUnit.SECONDS)) {
				kill(member);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		target.patroni = null;
	}

	/**
	 * Removes a member and adds a new one in its place: the old one is stopped and its
	 * data deleted; the new one, under a new name and PostgreSQL port, clones the leader.
	 * It keeps the old REST API port, so a client's list of REST URLs stays valid.
	 * @param member the member to remove
	 * @return the new member's name
	 */
	public String replace(String member) {
		Member old = member(member);
		stop(member);
		this.members.remove(member);
		try {
			PostgresBinaries.deleteRecursively(old.directory);
		}
		catch (IOException ex) {
			// A leftover directory is harmless: the new member has its own.
		}
		Member fresh = new Member("pg-" + this.nextMember++, freePort(), old.restPort,
				this.directory.resolve("pg-" + (this.nextMember - 1)));
		this.members.put(fresh.name, fresh);
		launch(fresh);
		return fresh.name;
	}

	/**
	 * Whether a member's Patroni process runs (it may be frozen).
	 * @param member the member's name
	 * @return true while its Patroni is alive
	 */
	public boolean isRunning(String member) {
		return member(member).isRunning();
	}

	/**
	 * Starts a member that was killed (it rejoins as a replica, rewound if needed).
	 * @param member the member's name
	 */
	public void start(String member) {
		Member target = member(member);
		if (target.isRunning()) {
			return;
		}
		target.patroni = startPatroni(target);
	}

	/**
	 * Adds a member while the cluster runs: it clones the leader and streams from it.
	 * @return the new member's name
	 */
	public String addMember() {
		Member member = newMember();
		launch(member);
		return member.name;
	}

	// A new member: its configuration written, its Patroni started (it clones the
	// leader).
	private void launch(Member member) {
		try {
			writeConfig(member);
		}
		catch (IOException ex) {
			throw new EmbeddedPostgresException("Could not configure member '" + member.name + "'", ex);
		}
		member.patroni = startPatroni(member);
	}

	/**
	 * Asks Patroni for a switchover to a replica ({@code POST /switchover}), as
	 * {@code patronictl switchover} does.
	 * @param candidate the replica to promote
	 */
	public void switchover(String candidate) {
		String leader = leader().orElseThrow(() -> new EmbeddedPostgresException("The cluster has no leader"));
		String body = "{\"leader\":\"" + leader + "\",\"candidate\":\"" + candidate + "\"}";
		try {
			HttpResponse<String> response = this.http
				.send(HttpRequest.newBuilder(URI.create(member(leader).restUrl() + "/switchover"))
					.timeout(Duration.ofSeconds(30))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new EmbeddedPostgresException("Switchover to '" + candidate + "' refused: HTTP "
						+ response.statusCode() + " " + response.body());
			}
		}
		catch (IOException ex) {
			throw new EmbeddedPostgresException("Switchover to '" + candidate + "' failed: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new EmbeddedPostgresException("Interrupted", ex);
		}
	}

	/**
	 * The last lines of every member's Patroni log, for failure messages.
	 * @return the tails
	 */
	public String logTails() {
		StringBuilder tails = new StringBuilder();
		for (Member member : this.members.values()) {
			tails.append("--- ").append(member.name).append(" (Patroni log) ---\n").append(tail(member.log, 15));
		}
		return tails.toString();
	}

	private Member member(String name) {
		Member member = this.members.get(name);
		if (member == null) {
			throw new IllegalArgumentException("No member named '" + name + "'; members: " + this.members.keySet());
		}
		return member;
	}

	private Member newMember() {
		String name = "pg-" + this.nextMember++;
		Member member = new Member(name, freePort(), freePort(), this.directory.resolve(name));
		this.members.put(name, member);
		return member;
	}

	private void startEtcd() throws IOException {
		Path data = this.directory.resolve("etcd");
		Files.createDirectories(data);
		String client = "http://127.0.0.1:" + this.etcdPort;
		String peer = "http://127.0.0.1:" + this.etcdPeerPort;
		Path log = this.directory.resolve("etcd.log");
		this.etcd = new ProcessBuilder(this.binaries.etcd.toString(), "--name", "e1", "--data-dir", data.toString(),
				"--listen-client-urls", client, "--advertise-client-urls", client, "--listen-peer-urls", peer,
				"--initial-advertise-peer-urls", peer, "--initial-cluster", "e1=" + peer, "--log-level", "warn")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (true) {
			try {
				if (get(client + "/health").contains("true")) {
					return;
				}
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new EmbeddedPostgresException("Interrupted while starting etcd", ex);
			}
			if (System.nanoTime() - deadline >= 0 || !this.etcd.isAlive()) {
				throw new EmbeddedPostgresException(
						"etcd did not start on port " + this.etcdPort + ":\n" + tail(log, 20));
			}
			sleep(100);
		}
	}

	private void writeConfig(Member member) throws IOException {
		Files.createDirectories(member.directory);
		String yaml = """
				scope: pool-test
				namespace: /pool/
				name: %s
				log:
				  level: INFO
				restapi:
				  listen: 127.0.0.1:%d
				  connect_address: 127.0.0.1:%d
				etcd3:
				  hosts: 127.0.0.1:%d
				bootstrap:
				  dcs:
				    ttl: %d
				    loop_wait: %d
				    retry_timeout: %d
				    maximum_lag_on_failover: 1048576
				    synchronous_mode: %s
				    postgresql:
				      use_pg_rewind: true
				      use_slots: true
				      parameters:
				        wal_level: replica
				        hot_standby: 'on'
				        wal_log_hints: 'on'
				        fsync: 'off'
				        synchronous_commit: '%s'
				        max_connections: %d
				        max_wal_senders: 10
				        max_replication_slots: 10
				        wal_keep_size: 128MB
				        shared_buffers: 32MB
				        wal_sender_timeout: '%s'
				  initdb:
				    - encoding: UTF8
				    - locale: C
				postgresql:
				  listen: 127.0.0.1:%d
				  connect_address: 127.0.0.1:%d
				  data_dir: %s
				  bin_dir: %s
				  pgpass: %s
				  remove_data_directory_on_rewind_failure: true
				  remove_data_directory_on_diverged_timelines: true
				  # A new member's base backup starts at once, not after a spread checkpoint
				  # (up to 0.9 x checkpoint_timeout: minutes).
				  basebackup:
				    - checkpoint: fast
				  authentication:
				    superuser:
				      username: %s
				      password: '%s'
				    replication:
				      username: replicator
				      password: '%s'
				    rewind:
				      username: rewinder
				      password: '%s'
				  parameters:
				    unix_socket_directories: '%s'
				  pg_hba:
				    - local all all trust
				    - host replication all 127.0.0.0/8 trust
				    - host all all 127.0.0.0/8 scram-sha-256
				tags:
				  nofailover: false
				  noloadbalance: false
				""".formatted(member.name, member.restPort, member.restPort, this.etcdPort, this.settings.ttl,
				this.settings.loopWait, this.settings.retryTimeout, this.settings.synchronousMode,
				this.settings.synchronousMode ? "on" : "local", this.settings.maxConnections,
				this.settings.walSenderTimeout, member.pgPort, member.pgPort, member.directory.resolve("data"),
				this.binaries.postgresBin, member.directory.resolve("pgpass"), SUPERUSER, this.settings.password,
				this.settings.password, this.settings.password, member.directory);
		Files.writeString(member.config(), yaml, StandardCharsets.UTF_8);
		this.processes.own(member.directory);
	}

	private Process startPatroni(Member member) {
		List<String> command = new ArrayList<>();
		String user = this.processes.runAs();
		if (user != null) {
			// setpriv execs: the process the JVM holds is Patroni itself, so a kill
			// reaches it (runuser would stay in between and outlive it).
			command.addAll(
					List.of("setpriv", "--reuid=" + user, "--regid=" + this.processes.groupOf(user), "--clear-groups"));
		}
		command.addAll(List.of("env", "HOME=" + member.directory, "PATH=/usr/bin:/bin",
				this.binaries.patroni.toString(), member.config().toString()));
		try {
			return new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(member.log.toFile()))
				.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
				.start();
		}
		catch (IOException ex) {
			throw new EmbeddedPostgresException("Could not start Patroni for '" + member.name + "': " + ex.getMessage(),
					ex);
		}
	}

	private String get(String url) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IOException("HTTP " + response.statusCode() + " from " + url);
		}
		return response.body();
	}

	private List<MemberState> parse(String body) {
		List<MemberState> states = new ArrayList<>();
		for (JsonNode member : this.json.readTree(body).path("members")) {
			JsonNode lag = member.path("lag");
			states.add(new MemberState(member.path("name").asString(""), member.path("role").asString(""),
					member.path("state").asString(""), member.path("port").asInt(0),
					lag.isNumber() ? lag.asLong() : null, member.path("timeline").asInt(0)));
		}
		states.sort(Comparator.comparing(MemberState::name));
		return states;
	}

	@Override
	public void close() {
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// Already shutting down.
		}
		closeQuietly();
	}

	private void closeQuietly() {
		for (Member member : this.members.values()) {
			try {
				thawQuietly(member);
				kill(member.name);
			}
			catch (RuntimeException ex) {
				// Best effort: the directory goes anyway.
			}
		}
		Process etcd = this.etcd;
		if (etcd != null) {
			etcd.destroyForcibly();
			try {
				etcd.waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		try {
			PostgresBinaries.deleteRecursively(this.directory);
		}
		catch (IOException ex) {
			// Leaves a temporary directory behind.
		}
	}

	private void thawQuietly(Member member) {
		try {
			signal(member.name, "CONT");
		}
		catch (RuntimeException ex) {
			// Not frozen, or gone.
		}
	}

	private static String tail(Path file, int lines) {
		try {
			List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
			return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")\n";
		}
	}

	private static int freePort() {
		try {
			return Ports.free(InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new EmbeddedPostgresException("Could not find a free port", ex);
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new EmbeddedPostgresException("Interrupted", ex);
		}
	}

	/**
	 * One member as Patroni's {@code GET /cluster} reports it.
	 *
	 * @param name the member's name
	 * @param role {@code leader}, {@code replica}, {@code sync_standby}, ...
	 * @param state {@code running}, {@code streaming}, {@code stopped}, ...
	 * @param port its PostgreSQL port
	 * @param lag bytes behind the leader, {@code null} for the leader or when unknown
	 * @param timeline its timeline
	 */
	public record MemberState(String name, String role, String state, int port, @Nullable Long lag, int timeline) {

		/**
		 * Whether Patroni names it the leader.
		 * @return true for role {@code leader}
		 */
		public boolean isLeader() {
			return "leader".equals(this.role);
		}

		/**
		 * Whether it is a replica that serves (streams or runs).
		 * @return true for a replica in state streaming or running
		 */
		public boolean isServing() {
			return !isLeader() && ("streaming".equals(this.state) || "running".equals(this.state));
		}

	}

	private static final class Member {

		private final String name;

		private final int pgPort;

		private final int restPort;

		private final Path directory;

		private final Path log;

		private volatile @Nullable Process patroni;

		Member(String name, int pgPort, int restPort, Path directory) {
			this.name = name;
			this.pgPort = pgPort;
			this.restPort = restPort;
			this.directory = directory;
			this.log = directory.resolveSibling(name + ".log");
		}

		String restUrl() {
			return "http://127.0.0.1:" + this.restPort;
		}

		Path config() {
			return this.directory.resolve("patroni.yml");
		}

		boolean isRunning() {
			Process patroni = this.patroni;
			return patroni != null && patroni.isAlive();
		}

		OptionalLong postmasterPid() {
			Path pidFile = this.directory.resolve("data").resolve("postmaster.pid");
			try {
				List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
				return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.get(0).trim()));
			}
			catch (IOException | NumberFormatException ex) {
				return OptionalLong.empty();
			}
		}

	}

	/** Where the system's Patroni, etcd and PostgreSQL are. */
	private record Binaries(Path patroni, Path etcd, Path postgresBin) {

		static Binaries find() {
			Path patroni = Path.of(System.getProperty("pool.patroni.bin", "/usr/bin/patroni"));
			Path etcd = Path.of(System.getProperty("pool.etcd.bin", "/usr/bin/etcd"));
			if (!Files.isExecutable(patroni)) {
				throw new EmbeddedPostgresException(
						"Patroni is not installed (no " + patroni + "): the Patroni tests need the patroni, "
								+ "etcd-server and postgresql packages; " + INSTALL_HINT);
			}
			if (!Files.isExecutable(etcd)) {
				throw new EmbeddedPostgresException("etcd is not installed (no " + etcd
						+ "): the Patroni tests need the etcd-server package; " + INSTALL_HINT);
			}
			Path postgres = Path.of(System.getProperty("pool.patroni.postgres-bin", ""));
			if (!Files.isExecutable(postgres.resolve("postgres"))) {
				postgres = newestSystemPostgres();
			}
			return new Binaries(patroni, etcd, postgres);
		}

		private static Path newestSystemPostgres() {
			Path root = Path.of("/usr/lib/postgresql");
			try (Stream<Path> versions = Files.list(root)) {
				return versions.map((version) -> version.resolve("bin"))
					.filter((bin) -> Files.isExecutable(bin.resolve("postgres")))
					.max(Comparator.comparingInt((bin) -> versionOf(bin.getParent())))
					.orElseThrow(() -> new IOException("no server under " + root));
			}
			catch (IOException ex) {
				throw new EmbeddedPostgresException("No PostgreSQL server binaries under /usr/lib/postgresql ("
						+ ex.getMessage() + "): the Patroni tests need the postgresql package; " + INSTALL_HINT);
			}
		}

		private static int versionOf(Path directory) {
			try {
				return Integer.parseInt(directory.getFileName().toString());
			}
			catch (NumberFormatException ex) {
				return 0;
			}
		}

	}

	private record Settings(int members, int ttl, int loopWait, int retryTimeout, boolean synchronousMode,
			String password, int maxConnections, String walSenderTimeout) {
	}

	/** Configures and starts a {@link PatroniCluster}. */
	public static final class Builder {

		private int members = 3;

		private int ttl = 10;

		private int loopWait = 1;

		private int retryTimeout = 4;

		private boolean synchronousMode;

		private String password = "patroni-test";

		private int maxConnections = 100;

		private Duration walSenderTimeout = Duration.ofSeconds(60);

		private Builder() {
		}

		/**
		 * How many members to start with (the first bootstraps).
		 * @param members at least 1 (default 3)
		 * @return this builder
		 */
		public Builder members(int members) {
			if (members < 1) {
				throw new IllegalArgumentException("members must be at least 1");
			}
			this.members = members;
			return this;
		}

		/**
		 * Patroni's leader key TTL in seconds: how long a dead leader's key outlives it
		 * (with loop_wait 1 and retry_timeout 4, at least 10).
		 * @param ttl seconds (default 10)
		 * @return this builder
		 */
		public Builder ttl(int ttl) {
			this.ttl = ttl;
			return this;
		}

		/**
		 * Patroni's synchronous mode: a commit is acknowledged once a replica has it, so
		 * a failover loses no acknowledged write.
		 * @param synchronousMode true for synchronous replication (default false)
		 * @return this builder
		 */
		public Builder synchronousMode(boolean synchronousMode) {
			this.synchronousMode = synchronousMode;
			return this;
		}

		/**
		 * The superuser's password (and the replication and rewind users').
		 * @param password the password
		 * @return this builder
		 */
		public Builder password(String password) {
			this.password = password;
			return this;
		}

		/**
		 * Each member's {@code max_connections}.
		 * @param maxConnections the limit (default 100)
		 * @return this builder
		 */
		public Builder maxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
			return this;
		}

		/**
		 * PostgreSQL's {@code wal_sender_timeout}: how long a leader keeps a replica that
		 * stopped answering (a frozen one) as a streaming, and in synchronous mode
		 * synchronous, standby.
		 * @param walSenderTimeout at least 1 s (default 60 s, PostgreSQL's)
		 * @return this builder
		 */
		public Builder walSenderTimeout(Duration walSenderTimeout) {
			if (walSenderTimeout.toSeconds() < 1) {
				throw new IllegalArgumentException("walSenderTimeout must be at least 1s");
			}
			this.walSenderTimeout = walSenderTimeout;
			return this;
		}

		/**
		 * Starts etcd and every member and waits until a leader runs and every other
		 * member streams from it.
		 * @return the running cluster
		 */
		public PatroniCluster start() {
			Binaries binaries = Binaries.find();
			Processes processes = Processes.forCurrentUser();
			Path directory;
			try {
				directory = Files.createTempDirectory("pool-patroni-");
			}
			catch (IOException ex) {
				throw new EmbeddedPostgresException("Could not create a temporary directory", ex);
			}
			PatroniCluster cluster = new PatroniCluster(directory, binaries, processes,
					new Settings(this.members, this.ttl, this.loopWait, this.retryTimeout, this.synchronousMode,
							this.password, this.maxConnections, this.walSenderTimeout.toMillis() + "ms"));
			Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
			try {
				processes.own(directory);
				cluster.startEtcd();
				Member first = cluster.newMember();
				cluster.writeConfig(first);
				first.patroni = cluster.startPatroni(first);
				cluster.await("a leader",
						(state) -> state.stream().anyMatch((m) -> m.isLeader() && "running".equals(m.state())),
						STARTUP);
				for (int i = 1; i < this.members; i++) {
					Member member = cluster.newMember();
					cluster.writeConfig(member);
					member.patroni = cluster.startPatroni(member);
				}
				cluster.awaitHealthy(STARTUP);
				return cluster;
			}
			catch (IOException | RuntimeException ex) {
				cluster.close();
				if (ex instanceof EmbeddedPostgresException epe) {
					throw epe;
				}
				throw new EmbeddedPostgresException("Could not start the Patroni cluster: " + ex.getMessage(), ex);
			}
		}

	}

}
