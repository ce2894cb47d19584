package dev.pool.internal.consistency;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.pool.ReadYourWrites;
import dev.pool.internal.routing.Consistency;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What read-your-writes does whatever the database: each thread's position (its own
 * writes and a token it was given), tokens in and out, their lifetime. Subclasses say how
 * a position is taken and which replica has reached it.
 */
public abstract class ReadYourWritesSupport implements Consistency, ReadYourWrites {

	private static final Log logger = LogFactory.getLog(ReadYourWritesSupport.class);

	// A token from another machine may carry a slightly later clock.
	private static final long CLOCK_SKEW_MILLIS = 5_000;

	private final ThreadLocal<CallerPosition> callers = ThreadLocal.withInitial(CallerPosition::new);

	private final ThreadLocal<@Nullable Consumer<String>> listeners = new ThreadLocal<>();

	private final long ttlMillis;

	/**
	 * Creates the support.
	 * @param ttl how long a position (and a token) counts after its write
	 */
	protected ReadYourWritesSupport(Duration ttl) {
		this.ttlMillis = ttl.toMillis();
	}

	@Override
	public final boolean tracksWrites() {
		return true;
	}

	/**
	 * Records that the current thread's write reached a position, and tells a request
	 * listening for it.
	 * @param position the position (0 where positions are not read)
	 */
	protected final void recordWrite(long position) {
		CallerPosition caller = this.callers.get();
		long now = System.currentTimeMillis();
		if (position != UNKNOWN_POSITION) {
			// A write whose position is known covers the caller's earlier write whose
			// position was lost: that one committed first, on this primary or on one
			// that took over its history. Without this, an active caller's "unknown"
			// would be renewed with every write and never expire.
			if (caller.written == UNKNOWN_POSITION) {
				caller.written = 0;
			}
			if (caller.applied == UNKNOWN_POSITION) {
				caller.applied = 0;
			}
			// The same holds for an earlier write whose position was not read yet.
			caller.pendingSinceNanos = 0;
		}
		caller.written = Math.max(live(caller.written, caller.writtenAtMillis, now), position);
		caller.writtenAtMillis = now;
		Consumer<String> listener = this.listeners.get();
		if (listener != null) {
			try {
				listener.accept(token(caller, now).format());
			}
			catch (RuntimeException ex) {
				// The write has committed: a response that cannot take the token changes
				// nothing.
				logger.debug("Could not hand a read-your-writes token to the response: " + ex.getMessage());
			}
		}
	}

	/**
	 * Records that the current thread's write committed without reading where it reached:
	 * the position is read only once it is needed (the caller's next read, or a token
	 * handed out), with {@link #positionAfter}, so a write that no read of its caller
	 * follows costs nothing. Call it after the write was acknowledged.
	 */
	protected final void recordUnreadWrite() {
		CallerPosition caller = this.callers.get();
		long now = System.currentTimeMillis();
		caller.written = live(caller.written, caller.writtenAtMillis, now);
		caller.writtenAtMillis = now;
		caller.pendingSinceNanos = System.nanoTime();
	}

	/**
	 * Whether a write's position is wanted at once: a web request hands a token to its
	 * response after each write, before the response may commit.
	 * @return true inside a request whose filter listens for tokens
	 */
	protected final boolean positionWantedNow() {
		return this.listeners.get() != null;
	}

	/**
	 * A position at or past every write acknowledged before {@code sinceNanos}: the
	 * primary's position read by a question sent after that instant (a server answers it
	 * after those commits, so its WAL reaches past their commit records). Only strategies
	 * that call {@link #recordUnreadWrite} need it.
	 * @param sinceNanos a {@link System#nanoTime()} taken after the writes were
	 * acknowledged
	 * @return the position, or {@link #UNKNOWN_POSITION} when the primary cannot be asked
	 */
	protected long positionAfter(long sinceNanos) {
		return UNKNOWN_POSITION;
	}

	/**
	 * The position the current thread's reads need.
	 * @return the highest live position, 0 when there is none
	 */
	protected final long pendingPosition() {
		CallerPosition caller = this.callers.get();
		if (caller.writtenAtMillis == 0 && caller.appliedAtMillis == 0) {
			return 0;
		}
		long now = System.currentTimeMillis();
		readUnreadWrite(caller, now);
		return Math.max(live(caller.written, caller.writtenAtMillis, now),
				live(caller.applied, caller.appliedAtMillis, now));
	}

	// The caller's write whose position was not read, read now (if it still counts).
	private void readUnreadWrite(CallerPosition caller, long now) {
		long since = caller.pendingSinceNanos;
		if (since == 0) {
			return;
		}
		caller.pendingSinceNanos = 0;
		if (live(1, caller.writtenAtMillis, now) == 0) {
			return;
		}
		long position = positionAfter(since);
		if (position != UNKNOWN_POSITION) {
			// As in recordWrite: a position read after all the caller's writes covers an
			// earlier one whose position was lost.
			if (caller.written == UNKNOWN_POSITION) {
				caller.written = 0;
			}
			if (caller.applied == UNKNOWN_POSITION) {
				caller.applied = 0;
			}
		}
		caller.written = Math.max(live(caller.written, caller.writtenAtMillis, now), position);
	}

	/**
	 * When the current thread's latest live write (or token) was issued.
	 * @return epoch milliseconds, 0 when there is none
	 */
	protected final long pendingSince() {
		CallerPosition caller = this.callers.get();
		// Every read asks: without a pending write it reads no clock.
		if (caller.writtenAtMillis == 0 && caller.appliedAtMillis == 0) {
			return 0;
		}
		long now = System.currentTimeMillis();
		return Math.max(live(caller.writtenAtMillis, caller.writtenAtMillis, now),
				live(caller.appliedAtMillis, caller.appliedAtMillis, now));
	}

	/**
	 * Whether a token from outside is worth applying: a position this database can have
	 * reached.
	 * @param token a well-formed, unexpired token
	 * @return true to apply it
	 */
	protected abstract boolean accepts(ConsistencyToken token);

	@Override
	public Optional<String> currentToken() {
		CallerPosition caller = this.callers.get();
		long now = System.currentTimeMillis();
		if (live(1, caller.writtenAtMillis, now) == 0 && live(1, caller.appliedAtMillis, now) == 0) {
			return Optional.empty();
		}
		return Optional.of(token(caller, now).format());
	}

	@Override
	public void runWith(@Nullable String token, Runnable work) {
		callWith(token, () -> {
			work.run();
			return null;
		});
	}

	@Override
	public <T> T callWith(@Nullable String token, Supplier<T> work) {
		CallerPosition caller = this.callers.get();
		long applied = caller.applied;
		long appliedAt = caller.appliedAtMillis;
		apply(caller, token);
		try {
			return work.get();
		}
		finally {
			// The token applies to this work only; the work's own writes stay the
			// thread's.
			caller.applied = applied;
			caller.appliedAtMillis = appliedAt;
		}
	}

	/**
	 * Starts a web request on the current thread: no position from an earlier request,
	 * the client's token if it is valid, and a listener told of each token the request's
	 * writes produce.
	 * @param token the token the client sent, or {@code null}
	 * @param listener called with the new token after each write
	 * @return whether the client's token was applied
	 */
	public boolean beginRequest(@Nullable String token, Consumer<String> listener) {
		CallerPosition caller = this.callers.get();
		caller.clear();
		this.listeners.set(listener);
		return apply(caller, token);
	}

	/**
	 * Ends the web request on the current thread, leaving nothing behind for the next.
	 */
	public void endRequest() {
		this.callers.get().clear();
		this.listeners.remove();
	}

	/**
	 * How long a position counts.
	 * @return the time to live of tokens
	 */
	public Duration tokenTtl() {
		return Duration.ofMillis(this.ttlMillis);
	}

	private boolean apply(CallerPosition caller, @Nullable String text) {
		if (text == null || text.isEmpty()) {
			return false;
		}
		ConsistencyToken token = ConsistencyToken.parse(text);
		long now = System.currentTimeMillis();
		if (token == null || token.issuedAtMillis() > now + CLOCK_SKEW_MILLIS
				|| token.issuedAtMillis() + this.ttlMillis < now || !accepts(token)) {
			logger.debug("Ignored a read-your-writes token that is malformed, expired or ahead of the primary");
			return false;
		}
		caller.applied = Math.max(live(caller.applied, caller.appliedAtMillis, now), token.position());
		caller.appliedAtMillis = Math.max(caller.appliedAtMillis, token.issuedAtMillis());
		return true;
	}

	private ConsistencyToken token(CallerPosition caller, long now) {
		readUnreadWrite(caller, now);
		long position = Math.max(live(caller.written, caller.writtenAtMillis, now),
				live(caller.applied, caller.appliedAtMillis, now));
		return new ConsistencyToken(flavour(), position, Math.max(caller.writtenAtMillis, caller.appliedAtMillis));
	}

	/**
	 * What this strategy's positions count, written into its tokens.
	 * @return WAL unless a subclass counts something else
	 */
	protected ConsistencyToken.Flavour flavour() {
		return ConsistencyToken.Flavour.WAL;
	}

	// A value counts until its time to live has passed, then never again.
	private long live(long value, long issuedAtMillis, long now) {
		return (issuedAtMillis != 0 && issuedAtMillis + this.ttlMillis >= now) ? value : 0;
	}

}
