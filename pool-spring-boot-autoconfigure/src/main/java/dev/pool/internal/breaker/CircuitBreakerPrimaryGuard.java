package dev.pool.internal.breaker;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.pool.PrimaryUnavailableException;
import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.datasource.PoolEvents;
import dev.pool.internal.datasource.WaitReleasedException;
import dev.pool.internal.datasource.Waiters;
import dev.pool.internal.failure.ConnectionFailures;
import dev.pool.internal.topology.BreakerState;
import dev.pool.internal.topology.PrimaryGuard;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A Resilience4j circuit breaker in front of the primary pool: after
 * {@code failure-threshold} consecutive signs of a dead server it opens for
 * {@code open-duration}, failing acquisitions at once and ending the waits of threads
 * already queued for a connection, then lets one probe through. Signs of a dead server: a
 * failed connection attempt (the pool's own background attempts included), an acquisition
 * timeout caused by one, a connection that breaks in use. A connection opened, or given
 * back intact after its statements, is a success; SQL errors are neither.
 */
public final class CircuitBreakerPrimaryGuard implements PrimaryGuard, PoolEvents {

	private static final Log logger = LogFactory.getLog(CircuitBreakerPrimaryGuard.class);

	// A thread that passed the breaker just before it opened may start waiting just after
	// the release: looked for again shortly after.
	private static final long[] RESCAN_MILLIS = { 100, 1000 };

	private final ManagedPool primary;

	private final Waiters waiters;

	private final CircuitBreaker breaker;

	private final @Nullable CircuitBreakerRegistry registry;

	private final Duration openDuration;

	private final int failureThreshold;

	private final int validationSeconds;

	private volatile long openedAtNanos;

	// True while the breaker is CLOSED and no failure is pending a success: then a
	// success teaches the breaker nothing, so the healthy path reads this one field and
	// never touches the breaker (whose window takes a lock). A count-based window of
	// failures still means "consecutive", because the success after a failure is always
	// recorded.
	private volatile boolean clean = true;

	// Raised when the breaker lets a probe through, so a release ends only the waits
	// begun before and never the probe's own.
	private volatile long epoch;

	private volatile @Nullable Throwable lastFailure;

	// Set once the pool is no longer the primary: a borrow that raced the switch is
	// refused rather than sent to the demoted node.
	private volatile boolean retired;

	private final CopyOnWriteArrayList<Consumer<BreakerState>> listeners = new CopyOnWriteArrayList<>();

	/**
	 * Creates a guard with a closed breaker and starts listening to the primary pool's
	 * connection events.
	 * @param primary the guarded pool
	 * @param failureThreshold consecutive failures that open the breaker
	 * @param openDuration how long it stays open before one probe decides
	 * @param waiters the threads borrowing from the pools, released when it opens
	 */
	public CircuitBreakerPrimaryGuard(ManagedPool primary, int failureThreshold, Duration openDuration,
			Waiters waiters) {
		this(primary, failureThreshold, openDuration, waiters, null);
	}

	/**
	 * Creates a guard whose breaker is also an entry of the application's
	 * {@link CircuitBreakerRegistry}, named {@code pool-<pool name>}, so Resilience4j's
	 * endpoint, health and meters see it; it leaves the registry when the pool stops
	 * being the primary.
	 * @param primary the guarded pool
	 * @param failureThreshold consecutive failures that open the breaker
	 * @param openDuration how long it stays open before one probe decides
	 * @param waiters the threads borrowing from the pools, released when it opens
	 * @param registry where the breaker is registered, or {@code null} for nowhere
	 */
	public CircuitBreakerPrimaryGuard(ManagedPool primary, int failureThreshold, Duration openDuration, Waiters waiters,
			@Nullable CircuitBreakerRegistry registry) {
		this.primary = primary;
		this.registry = registry;
		this.waiters = waiters;
		this.openDuration = openDuration;
		this.failureThreshold = failureThreshold;
		this.validationSeconds = primary.settings().validationSeconds();
		CircuitBreakerConfig config = CircuitBreakerConfig.custom()
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(failureThreshold)
			.minimumNumberOfCalls(failureThreshold)
			.failureRateThreshold(100)
			.waitDurationInOpenState(openDuration)
			.permittedNumberOfCallsInHalfOpenState(1)
			.automaticTransitionFromOpenToHalfOpenEnabled(false)
			.writableStackTraceEnabled(false)
			.build();
		this.breaker = (registry != null) ? register(registry, "pool-" + primary.name(), config)
				: CircuitBreaker.of(primary.name(), config);
		this.breaker.getEventPublisher()
			.onStateTransition((event) -> transitioned(event.getStateTransition().getToState()));
		primary.listen(this);
	}

	@Override
	public Connection borrow(ManagedPool pool) throws SQLException {
		if (!this.clean) {
			return guardedBorrow(pool);
		}
		// Call durations are not recorded (no slow-call threshold is configured): no
		// clock reads on the healthy path.
		try {
			return this.waiters.borrow(pool, this.epoch);
		}
		catch (WaitReleasedException ex) {
			throw unavailable(ex);
		}
		catch (SQLException | RuntimeException ex) {
			if (ConnectionFailures.isConnectionFailure(ex)) {
				failed(ex);
			}
			throw ex;
		}
	}

	private Connection guardedBorrow(ManagedPool pool) throws SQLException {
		if (this.retired) {
			throw new PrimaryUnavailableException(
					"Pool '" + pool.name() + "' is no longer the primary: the topology named another one; retry",
					Duration.ZERO, null);
		}
		if (!this.breaker.tryAcquirePermission()) {
			throw unavailable(null);
		}
		boolean probe = this.breaker.getState() == CircuitBreaker.State.HALF_OPEN;
		Connection connection;
		try {
			connection = this.waiters.borrow(pool, this.epoch);
		}
		catch (WaitReleasedException ex) {
			this.breaker.releasePermission();
			throw unavailable(ex);
		}
		catch (SQLException | RuntimeException ex) {
			if (ConnectionFailures.isConnectionFailure(ex)) {
				failed(ex);
			}
			else {
				this.breaker.releasePermission();
			}
			throw ex;
		}
		return probe ? probed(pool, connection) : connection;
	}

	// The one call let through after the open period: a pooled connection may be from
	// before the failure, so only an answer from the server closes the breaker.
	private Connection probed(ManagedPool pool, Connection connection) throws SQLException {
		boolean valid;
		try {
			valid = connection.isValid(this.validationSeconds);
		}
		catch (SQLException ex) {
			valid = false;
		}
		if (valid) {
			succeeded();
			return connection;
		}
		pool.dataSource().evictConnection(connection);
		failed(new SQLException(
				"Pool '" + pool.name() + "' probe connection did not validate within " + this.validationSeconds + "s",
				"08006"));
		throw unavailable(null);
	}

	@Override
	public void returned() {
		if (!this.clean) {
			succeeded();
		}
	}

	@Override
	public void connected() {
		if (!this.clean) {
			succeeded();
		}
	}

	@Override
	public void connectFailed(SQLException failure) {
		if (ConnectionFailures.isConnectionFailure(failure)) {
			failed(failure);
		}
	}

	@Override
	public void brokenInUse(SQLException failure) {
		failed(failure);
	}

	private void failed(Throwable ex) {
		this.lastFailure = ex;
		this.clean = false;
		this.breaker.onError(0, TimeUnit.NANOSECONDS, ex);
	}

	private void succeeded() {
		this.breaker.onSuccess(0, TimeUnit.NANOSECONDS);
		this.clean = !this.retired && (this.breaker.getState() == CircuitBreaker.State.CLOSED);
	}

	private void transitioned(CircuitBreaker.State to) {
		if (to != CircuitBreaker.State.CLOSED) {
			this.clean = false;
		}
		if (to == CircuitBreaker.State.OPEN) {
			this.openedAtNanos = System.nanoTime();
		}
		BreakerState state = new BreakerState(to.name(),
				(to == CircuitBreaker.State.OPEN) ? this.openedAtNanos + this.openDuration.toNanos() : 0);
		this.listeners.forEach((listener) -> listener.accept(state));
		if (to == CircuitBreaker.State.HALF_OPEN) {
			this.epoch++;
		}
		else if (to == CircuitBreaker.State.OPEN) {
			long openEpoch = this.epoch;
			int released = this.waiters.release(this.primary, openEpoch);
			Throwable last = this.lastFailure;
			logger.warn("Circuit breaker for pool '" + this.primary.name() + "' opened after " + this.failureThreshold
					+ " consecutive connection failures" + ((last != null) ? " (last: " + describe(last) + ")" : "")
					+ "; acquisitions fail at once for " + this.openDuration.toMillis() + "ms; " + released
					+ " waiting threads released");
			for (long delay : RESCAN_MILLIS) {
				CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> rescan(openEpoch));
			}
		}
		else {
			logger
				.info("Circuit breaker for pool '" + this.primary.name() + "' closed: the primary is reachable again");
		}
	}

	private void rescan(long openEpoch) {
		if (this.breaker.getState() == CircuitBreaker.State.OPEN && this.epoch == openEpoch) {
			this.waiters.release(this.primary, openEpoch);
		}
	}

	private PrimaryUnavailableException unavailable(@Nullable Throwable cause) {
		Duration remaining = remainingOpen();
		return new PrimaryUnavailableException("Pool '" + this.primary.name() + "' circuit breaker is open after "
				+ "repeated connection failures; retry in " + remaining.toMillis() + "ms", remaining, cause);
	}

	private static String describe(Throwable failure) {
		String message = failure.getMessage();
		return failure.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
	}

	@Override
	public BreakerState breaker() {
		CircuitBreaker.State state = this.breaker.getState();
		return new BreakerState(state.name(),
				(state == CircuitBreaker.State.OPEN) ? this.openedAtNanos + this.openDuration.toNanos() : 0);
	}

	@Override
	public void listen(Consumer<BreakerState> listener) {
		this.listeners.add(listener);
	}

	@Override
	public void probeNow(String why) {
		if (this.breaker.getState() == CircuitBreaker.State.OPEN && !this.retired) {
			logger.info("Circuit breaker for pool '" + this.primary.name() + "' lets its probe through now: " + why);
			this.breaker.transitionToHalfOpenState();
		}
	}

	@Override
	public void retire() {
		this.retired = true;
		this.clean = false;
		this.primary.stopListening(this);
		CircuitBreakerRegistry registry = this.registry;
		if (registry != null) {
			String name = this.breaker.getName();
			// Only this guard's own entry: a new primary of the same name may have taken
			// the name already.
			registry.find(name).filter((entry) -> entry == this.breaker).ifPresent((entry) -> registry.remove(name));
		}
	}

	// The registry creates every entry itself: a breaker of the same name left by a pool
	// that was the primary before (same name, a new pool) gives way to this one.
	private static CircuitBreaker register(CircuitBreakerRegistry registry, String name, CircuitBreakerConfig config) {
		registry.remove(name);
		return registry.circuitBreaker(name, config);
	}

	/**
	 * The breaker's state, for tests and logs.
	 * @return {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}
	 */
	public String state() {
		return this.breaker.getState().name();
	}

	/**
	 * Time left before an open breaker lets a probe through.
	 * @return the time, zero when not open
	 */
	public Duration remainingOpen() {
		return breaker().remaining();
	}

}
