package dev.pool.internal.tenant;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.topology.LiveTopology;
import dev.pool.internal.topology.PrimaryNode;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Mode schema: a tenant's connection is a primary connection (through the circuit
 * breaker) switched to the tenant's schema with JDBC's {@link Connection#setSchema}, the
 * driver quoting the name; on return the session's search path is reset before the
 * connection goes back, so no later borrower sees the tenant's tables. A connection whose
 * reset fails is evicted, not reused.
 */
public final class TenantSchemas extends TenantRegistrySupport {

	private static final Log logger = LogFactory.getLog(TenantSchemas.class);

	// A constant statement: nothing of the tenant's goes into SQL text.
	private static final String RESET_SEARCH_PATH = "RESET search_path";

	private final LiveTopology topology;

	private final String schemaTemplate;

	private final TenantMigrations migrations;

	private final AtomicInteger inUse = new AtomicInteger();

	/**
	 * Creates the registry.
	 * @param topology the primary, which every tenant shares (whichever pool it is now),
	 * and its circuit breaker
	 * @param schemaTemplate the schema name with {@code {tenant}} in place of the id
	 * @param migrations the tenants' migrations
	 */
	public TenantSchemas(LiveTopology topology, String schemaTemplate, TenantMigrations migrations) {
		this.topology = topology;
		this.schemaTemplate = schemaTemplate;
		this.migrations = migrations;
	}

	/**
	 * The schema of a tenant.
	 * @param tenantId a checked tenant id
	 * @return the schema name
	 */
	public String schema(String tenantId) {
		return this.schemaTemplate.replace("{tenant}", tenantId);
	}

	/**
	 * Where a tenant's migration runs: its schema on the primary's database.
	 * @param tenantId the tenant
	 * @return the target
	 */
	public TenantMigrator.Target target(String tenantId) {
		ManagedPool primary = this.topology.current().primary().pool();
		return new TenantMigrator.Target(primary.settings().url(), primary.settings().credentials(), schema(tenantId));
	}

	@Override
	public Connection connection(String tenantId) throws SQLException {
		refuseIfDraining("connections", tenantId);
		this.migrations.ensure(tenantId, target(tenantId));
		PrimaryNode primary = this.topology.current().primary();
		Connection connection = primary.guard().borrow(primary.pool());
		try {
			connection.setSchema(schema(tenantId));
		}
		catch (SQLException | RuntimeException ex) {
			primary.pool().dataSource().evictConnection(connection);
			throw ex;
		}
		this.inUse.incrementAndGet();
		return (Connection) Proxy.newProxyInstance(TenantSchemas.class.getClassLoader(),
				new Class<?>[] { Connection.class }, new Resetting(connection, primary.pool()));
	}

	@Override
	public List<ManagedPool> pools() {
		return List.of();
	}

	@Override
	public TenantSummary summary() {
		return new TenantSummary("schema", 0, null, 0, 0, 0, this.inUse.get(), null, this.migrations.failed());
	}

	@Override
	public void close() {
		refuseNewConnections();
	}

	// Resets the schema when the application closes the connection; everything else goes
	// straight to HikariCP's connection.
	private final class Resetting implements InvocationHandler {

		private final Connection target;

		private final ManagedPool pool;

		private boolean closed;

		Resetting(Connection target, ManagedPool pool) {
			this.target = target;
			this.pool = pool;
		}

		@Override
		public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
			switch (method.getName()) {
				case "close" -> {
					close();
					return null;
				}
				case "isClosed" -> {
					return this.closed || this.target.isClosed();
				}
				case "unwrap" -> {
					if (((Class<?>) args[0]).isInstance(proxy)) {
						return proxy;
					}
				}
				case "isWrapperFor" -> {
					if (((Class<?>) args[0]).isInstance(proxy)) {
						return true;
					}
				}
				case "equals" -> {
					return proxy == args[0];
				}
				case "hashCode" -> {
					return System.identityHashCode(proxy);
				}
				case "toString" -> {
					return "TenantConnection[" + this.target + "]";
				}
				default -> {
				}
			}
			try {
				return method.invoke(this.target, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getCause();
			}
		}

		private void close() throws SQLException {
			if (this.closed) {
				return;
			}
			this.closed = true;
			TenantSchemas.this.inUse.decrementAndGet();
			if (this.target.isClosed()) {
				return;
			}
			try {
				// Uncommitted work is rolled back as HikariCP would, and the reset must
				// not be rolled back with it.
				if (!this.target.getAutoCommit()) {
					this.target.rollback();
					this.target.setAutoCommit(true);
				}
				try (Statement statement = this.target.createStatement()) {
					statement.execute(RESET_SEARCH_PATH);
				}
			}
			catch (SQLException | RuntimeException ex) {
				logger.warn("Could not reset the schema of a tenant connection of pool '" + this.pool.name()
						+ "'; evicting it: " + ex.getMessage());
				this.pool.dataSource().evictConnection(this.target);
				return;
			}
			this.target.close();
		}

	}

}
