package dev.pool.internal.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pool.TopologySource;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Reads the replica set from DNS: each address of an A/AAAA answer, or each target of an
 * SRV answer, is a replica; the primary stays as configured. Queries go to the DNS server
 * itself (dnsjava, no cache, no hosts file), so neither the JVM's address cache nor a
 * local cache hides a change, and the answer's TTL is the lower bound of the next read.
 * An SRV target's address is resolved the same way.
 * <p>
 * An answer with no records of the type (the name exists, no replica is ready) is an
 * empty replica set; a name that does not exist, or a server that does not answer, is a
 * failed read, so a typo or an outage never empties the set.
 */
public final class DnsTopologySource implements TopologySource {

	private final String name;

	private final boolean srv;

	private final int port;

	private final @Nullable String server;

	private final Duration timeout;

	// Built on the first read, so a bad address fails a read, never the bean.
	private volatile @Nullable Resolver resolver;

	/**
	 * Creates the source.
	 * @param name the name whose answer is the replica set
	 * @param srv true for SRV records, false for A and AAAA
	 * @param port the replicas' port for A and AAAA answers
	 * @param server the DNS server as {@code host} or {@code host:port}, {@code null} for
	 * the system's
	 * @param timeout how long one query may take
	 */
	public DnsTopologySource(String name, boolean srv, int port, @Nullable String server, Duration timeout) {
		this.name = name;
		this.srv = srv;
		this.port = port;
		this.server = server;
		this.timeout = timeout;
	}

	private Resolver resolver() throws IOException {
		Resolver resolver = this.resolver;
		if (resolver != null) {
			return resolver;
		}
		String server = this.server;
		if (server != null) {
			// host, host:port, an IPv6 address, or [IPv6]:port
			String host = server;
			String serverPort = null;
			int colon = server.indexOf(':');
			if (server.startsWith("[")) {
				int end = server.indexOf(']');
				host = server.substring(1, end);
				serverPort = (server.length() > end + 2) ? server.substring(end + 2) : null;
			}
			else if (colon > 0 && colon == server.lastIndexOf(':')) {
				host = server.substring(0, colon);
				serverPort = server.substring(colon + 1);
			}
			SimpleResolver simple = new SimpleResolver(host);
			if (serverPort != null) {
				simple.setPort(Integer.parseInt(serverPort));
			}
			resolver = simple;
		}
		else {
			resolver = new ExtendedResolver();
		}
		resolver.setTimeout(this.timeout);
		this.resolver = resolver;
		return resolver;
	}

	@Override
	public Nodes read() throws IOException {
		Answer answer = this.srv ? srv() : addresses(this.name);
		return new Nodes(null, answer.nodes(), Duration.ofSeconds(answer.ttl()));
	}

	private Answer addresses(String host) throws IOException {
		List<Record> records = new ArrayList<>();
		boolean any = false;
		List<String> failures = new ArrayList<>();
		for (int type : new int[] { Type.A, Type.AAAA }) {
			Lookup lookup = lookup(host, type);
			Record[] found = lookup.run();
			int result = lookup.getResult();
			if (result == Lookup.SUCCESSFUL && found != null) {
				records.addAll(List.of(found));
				any = true;
			}
			else if (result == Lookup.TYPE_NOT_FOUND) {
				any = true;
			}
			else {
				failures.add(Type.string(type) + " " + lookup.getErrorString());
			}
		}
		if (!any) {
			throw new IOException("DNS has no answer for " + host + " (" + String.join(", ", failures) + ")");
		}
		List<Node> nodes = new ArrayList<>();
		long ttl = Long.MAX_VALUE;
		for (Record record : records) {
			InetAddress address = (record instanceof ARecord a) ? a.getAddress()
					: (record instanceof AAAARecord aaaa) ? aaaa.getAddress() : null;
			if (address != null) {
				String text = address.getHostAddress();
				nodes.add(new Node(text.replace(':', '-'), text, this.port, null));
				ttl = Math.min(ttl, record.getTTL());
			}
		}
		return new Answer(nodes, (ttl == Long.MAX_VALUE) ? 0 : ttl);
	}

	private Answer srv() throws IOException {
		Lookup lookup = lookup(this.name, Type.SRV);
		Record[] found = lookup.run();
		int result = lookup.getResult();
		if (result == Lookup.TYPE_NOT_FOUND) {
			return new Answer(List.of(), 0);
		}
		if (result != Lookup.SUCCESSFUL || found == null) {
			throw new IOException("DNS has no SRV answer for " + this.name + " (" + lookup.getErrorString() + ")");
		}
		Map<String, Integer> perTarget = new HashMap<>();
		List<SRVRecord> records = new ArrayList<>();
		for (Record record : found) {
			if (record instanceof SRVRecord srv) {
				records.add(srv);
				perTarget.merge(target(srv), 1, Integer::sum);
			}
		}
		Map<String, Node> nodes = new LinkedHashMap<>();
		long ttl = Long.MAX_VALUE;
		for (SRVRecord record : records) {
			String target = target(record);
			Answer addresses = addresses(target);
			if (addresses.nodes().isEmpty()) {
				continue;
			}
			String nodeName = (perTarget.get(target) > 1) ? target + "-" + record.getPort() : target;
			nodes.putIfAbsent(nodeName, new Node(nodeName, addresses.nodes().get(0).host(), record.getPort(), null));
			ttl = Math.min(ttl, Math.min(record.getTTL(), (addresses.ttl() > 0) ? addresses.ttl() : Long.MAX_VALUE));
		}
		return new Answer(List.copyOf(nodes.values()), (ttl == Long.MAX_VALUE) ? 0 : ttl);
	}

	private static String target(SRVRecord record) {
		String target = record.getTarget().toString();
		return target.endsWith(".") ? target.substring(0, target.length() - 1) : target;
	}

	private Lookup lookup(String host, int type) throws IOException {
		Lookup lookup = new Lookup(Name.fromString(host), type);
		lookup.setResolver(resolver());
		// Every read asks the server: a cached answer could hide a change.
		lookup.setCache(null);
		lookup.setHostsFileParser(null);
		return lookup;
	}

	@Override
	public boolean namesPrimary() {
		return false;
	}

	@Override
	public String describe() {
		return "DNS " + (this.srv ? "SRV " : "A/AAAA ") + this.name
				+ ((this.server != null) ? " at " + this.server : "");
	}

	private record Answer(List<Node> nodes, long ttl) {
	}

}
