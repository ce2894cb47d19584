package dev.pool.internal.breaker;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.pool.PrimaryUnavailableException;
import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.failure.ConnectionFailures;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A Resilience4j circuit breaker in front of the primary pool: after
 * {@code failure-threshold} consecutive connection failures it opens for
 * {@code open-duration}, failing acquisitions at once, then lets one probe through. Only
 * failures to get a connection count; SQL errors from queries never reach it.
 */
public final class CircuitBreakerPrimaryGuard implements PrimaryGuard {

	private static final Log logger = LogFactory.getLog(CircuitBreakerPrimaryGuard.class);

	private final String poolName;

	private final CircuitBreaker breaker;

	private final Duration openDuration;

	private volatile long openedAtNanos;

	// True while the breaker is CLOSED and no connection failure is pending a success:
	// then a
	// success teaches the breaker nothing, so the healthy path reads this one field and
	// never
	// touches the breaker (whose window takes a lock). A count-based window of failures
	// still
	// means "consecutive", because the success after a failure is always recorded.
	private volatile boolean clean = true;

	/**
	 * Creates a guard with a closed breaker.
	 * @param poolName the guarded pool, for log lines and messages
	 * @param failureThreshold consecutive connection failures that open the breaker
	 * @param openDuration how long it stays open before one probe decides
	 */
	public CircuitBreakerPrimaryGuard(String poolName, int failureThreshold, Duration openDuration) {
		this.poolName = poolName;
		this.openDuration = openDuration;
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
		this.breaker = CircuitBreaker.of(poolName, config);
		this.breaker.getEventPublisher().onStateTransition((event) -> {
			CircuitBreaker.State to = event.getStateTransition().getToState();
			if (to != CircuitBreaker.State.CLOSED) {
				this.clean = false;
			}
			if (to == CircuitBreaker.State.OPEN) {
				this.openedAtNanos = System.nanoTime();
				logger.warn("Circuit breaker for pool '" + poolName + "' opened after " + failureThreshold
						+ " consecutive connection failures; acquisitions fail at once for " + openDuration.toMillis()
						+ "ms");
			}
			else if (to == CircuitBreaker.State.CLOSED) {
				logger.info("Circuit breaker for pool '" + poolName + "' closed: the primary is reachable again");
			}
		});
	}

	@Override
	public Connection borrow(ManagedPool primary) throws SQLException {
		if (!this.clean) {
			return guardedBorrow(primary);
		}
		// Call durations are not recorded (no slow-call threshold is configured): no
		// clock reads
		// on the healthy path.
		try {
			return primary.dataSource().getConnection();
		}
		catch (SQLException | RuntimeException ex) {
			if (ConnectionFailures.isConnectionFailure(ex)) {
				failed(ex);
			}
			throw ex;
		}
	}

	private Connection guardedBorrow(ManagedPool primary) throws SQLException {
		if (!this.breaker.tryAcquirePermission()) {
			Duration remaining = remainingOpen();
			throw new PrimaryUnavailableException("Pool '" + this.poolName + "' circuit breaker is open after "
					+ "repeated connection failures; retry in " + remaining.toMillis() + "ms", remaining);
		}
		Connection connection;
		try {
			connection = primary.dataSource().getConnection();
		}
		catch (SQLException | RuntimeException ex) {
			if (ConnectionFailures.isConnectionFailure(ex)) {
				failed(ex);
			}
			else {
				succeeded();
			}
			throw ex;
		}
		succeeded();
		return connection;
	}

	private void failed(Throwable ex) {
		this.clean = false;
		this.breaker.onError(0, TimeUnit.NANOSECONDS, ex);
	}

	private void succeeded() {
		this.breaker.onSuccess(0, TimeUnit.NANOSECONDS);
		this.clean = (this.breaker.getState() == CircuitBreaker.State.CLOSED);
	}

	/**
	 * The breaker's state.
	 * @return CLOSED, OPEN or HALF_OPEN
	 */
	public String state() {
		return this.breaker.getState().name();
	}

	/**
	 * Time left before an open breaker lets a probe through.
	 * @return the time, zero when not open
	 */
	public Duration remainingOpen() {
		if (this.breaker.getState() != CircuitBreaker.State.OPEN) {
			return Duration.ZERO;
		}
		long elapsed = System.nanoTime() - this.openedAtNanos;
		Duration remaining = this.openDuration.minusNanos(elapsed);
		return remaining.isNegative() ? Duration.ZERO : remaining;
	}

}
