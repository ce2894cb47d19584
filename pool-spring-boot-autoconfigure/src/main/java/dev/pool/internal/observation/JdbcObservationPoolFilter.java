package dev.pool.internal.observation;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.routing.RoutingDataSource;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.internal.topology.ReplicaNode;
import dev.pool.internal.topology.Topology;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationFilter;
import net.ttddyy.observation.tracing.DataSourceBaseContext;
import net.ttddyy.observation.tracing.QueryContext;
import org.jspecify.annotations.Nullable;

/**
 * Adds the pool that really served a query to datasource-micrometer's query observations
 * of the routing {@code DataSource}, under the key it uses for a HikariCP pool's name
 * ({@value #KEY}). datasource-micrometer sees one DataSource and takes its URL when the
 * connection is handed out, before routing has chosen a node; the statement knows the
 * physical connection, whose URL names the node. Runs when such an observation stops,
 * never on a borrow; {@code none} when the node cannot be told.
 */
public final class JdbcObservationPoolFilter implements ObservationFilter {

	/** datasource-micrometer's key for the name of the pool a connection came from. */
	public static final String KEY = "jdbc.datasource.pool";

	private static final String NONE = "none";

	private final LiveTopology topology;

	/**
	 * A filter naming the pools of a topology.
	 * @param topology the routed pools, as they change
	 */
	public JdbcObservationPoolFilter(LiveTopology topology) {
		this.topology = topology;
	}

	@Override
	public Observation.Context map(Observation.Context context) {
		if (!(context instanceof DataSourceBaseContext jdbc) || !routed(jdbc.getDataSource())) {
			return context;
		}
		if (context instanceof QueryContext query) {
			Statement statement = (query.getExecutionInfo() != null) ? query.getExecutionInfo().getStatement() : null;
			context.addLowCardinalityKeyValue(KeyValue.of(KEY, poolOf(statement)));
		}
		return context;
	}

	private static boolean routed(@Nullable DataSource dataSource) {
		try {
			return dataSource != null && dataSource.isWrapperFor(RoutingDataSource.class);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	// The physical connection's URL is the pool's own (HikariCP opens it with that URL);
	// a handful of pools to compare against.
	private String poolOf(@Nullable Statement statement) {
		if (statement == null) {
			return NONE;
		}
		String url;
		try {
			Connection connection = statement.getConnection();
			url = (connection != null) ? connection.getMetaData().getURL() : null;
		}
		catch (SQLException | RuntimeException ex) {
			return NONE;
		}
		if (url == null) {
			return NONE;
		}
		Topology topology = this.topology.current();
		ManagedPool primary = topology.primary().pool();
		if (url.equals(primary.settings().url())) {
			return primary.name();
		}
		for (ReplicaNode replica : topology.replicas()) {
			if (url.equals(replica.pool().settings().url())) {
				return replica.pool().name();
			}
		}
		return NONE;
	}

}
