package dev.pool.internal.routing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

import dev.pool.internal.datasource.ManagedPool;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * A Micrometer {@link Observation} named {@value #NAME} around each routed borrow, from
 * the routing decision to the physical connection in hand: a trace shows which node
 * served and how long the borrow waited, and Boot's meter handler makes a
 * {@code pool.borrow} timer of it. Low-cardinality keys only: {@code pool}, {@code role}
 * ({@code primary}, {@code replica}) and {@code reason} (the routing reason, as in
 * {@code pool.routing.decisions}); {@code none} for each when the borrow failed before a
 * pool was chosen (the {@code error} key says why). Exists only with an
 * {@link ObservationRegistry} that observes something: without one the router never calls
 * it, so a borrow costs one field read and a branch more.
 */
public final class ObservedBorrows {

	/** The observation's name (and the name of the timer Boot makes of it). */
	public static final String NAME = "pool.borrow";

	private static final ObservationConvention<Context> DEFAULT = new DefaultConvention();

	private final ObservationRegistry registry;

	/**
	 * Observes borrows into a registry.
	 * @param registry the application's registry
	 */
	public ObservedBorrows(ObservationRegistry registry) {
		this.registry = registry;
	}

	/**
	 * Whether the registry observes anything at all: with a no-op one the router is
	 * better off without this.
	 * @return true when borrows should be observed
	 */
	public boolean observes() {
		return !this.registry.isNoop();
	}

	Connection observe(RoutingDataSource router, RoutingConnection connection, boolean readOnlyFlag)
			throws SQLException {
		Context context = new Context();
		Observation observation = Observation.createNotStarted(null, DEFAULT, () -> context, this.registry).start();
		try {
			Connection physical = router.route(connection, readOnlyFlag);
			ManagedPool pool = connection.pool();
			RoutingReason reason = connection.reason();
			if (pool != null && reason != null) {
				context.routed(pool, reason);
			}
			return physical;
		}
		catch (SQLException | RuntimeException ex) {
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	/** What one borrow observation knows: set once the borrow has its pool. */
	static final class Context extends Observation.Context {

		private String pool = "none";

		private String role = "none";

		private String reason = "none";

		void routed(ManagedPool pool, RoutingReason reason) {
			this.pool = pool.name();
			this.role = pool.role().name().toLowerCase(Locale.ROOT);
			this.reason = reason.tag();
		}

	}

	// Read at stop, once the pool is known (Micrometer asks a convention again then).
	private static final class DefaultConvention implements ObservationConvention<Context> {

		@Override
		public String getName() {
			return NAME;
		}

		@Override
		public String getContextualName(Context context) {
			return "none".equals(context.pool) ? "borrow" : "borrow " + context.pool;
		}

		@Override
		public KeyValues getLowCardinalityKeyValues(Context context) {
			return KeyValues.of("pool", context.pool, "role", context.role, "reason", context.reason);
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return context instanceof Context;
		}

	}

}
