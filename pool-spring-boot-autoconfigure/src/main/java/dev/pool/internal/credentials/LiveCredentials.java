package dev.pool.internal.credentials;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongPredicate;

import com.zaxxer.hikari.HikariCredentialsProvider;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.Credentials;
import dev.pool.PoolCredentials;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One pool's login as it is now, handed to HikariCP for every connection it opens:
 * re-read from its source at each connection attempt (so the first attempt after a
 * rejected login already tries the new file) and every refresh interval. Remembers which
 * physical connection was opened with which generation of the login, so the old ones can
 * be retired one by one after a change.
 */
public final class LiveCredentials implements HikariCredentialsProvider {

	private static final Log logger = LogFactory.getLog(LiveCredentials.class);

	private final CredentialSource source;

	private final LongAdder rotations = new LongAdder();

	// Physical connection -> generation it logged in with; weak, so a connection HikariCP
	// closed and dropped is forgotten. Touched only when a connection opens and while
	// old ones retire, never on a borrow.
	private final Map<Connection, Long> opened = Collections.synchronizedMap(new WeakHashMap<>());

	private volatile Generation current;

	private volatile @Nullable Runnable onChange;

	// True while connections of an older login are being retired; the one field a
	// connection's return reads.
	private volatile boolean retiring;

	// How many more old connections may be retired before the next step grants more.
	private final AtomicInteger permits = new AtomicInteger();

	// Whether the last read failed, so a failure is logged once per streak.
	private volatile boolean unreadable;

	/**
	 * Reads the login once.
	 * @param source where it comes from
	 */
	public LiveCredentials(CredentialSource source) {
		this.source = source;
		PoolCredentials.Login login = null;
		try {
			login = source.login();
		}
		catch (CredentialsUnavailableException ex) {
			// Startup checked the files; a provider that fails now is asked again at the
			// first connection attempt.
			this.unreadable = true;
			logger.warn(ex.getMessage());
		}
		this.current = new Generation(0, login, System.currentTimeMillis());
	}

	/**
	 * The login for the connection HikariCP is about to open: read again now.
	 * @return the login
	 */
	@Override
	public Credentials getCredentials() {
		PoolCredentials.Login login = refresh().login();
		return (login != null) ? Credentials.of(login.username(), login.password()) : Credentials.of(null, null);
	}

	/**
	 * Reads the source and, when the login changed in a way that retires connections,
	 * starts a new generation. A source that cannot be read keeps the login it last had.
	 * @return the generation now
	 */
	public Generation refresh() {
		PoolCredentials.Login login;
		try {
			login = this.source.login();
		}
		catch (CredentialsUnavailableException ex) {
			if (!this.unreadable) {
				this.unreadable = true;
				logger.warn(ex.getMessage() + "; keeping the login it last read");
			}
			return this.current;
		}
		if (this.unreadable) {
			this.unreadable = false;
			logger.info("Pool '" + this.source.pool() + "' reads its login again (" + this.source.describe() + ")");
		}
		Generation before = this.current;
		if (sameLogin(before.login(), login)) {
			if (!Objects.equals(before.login(), login)) {
				// A new token for the same user: new connections use it, nothing retires.
				this.current = new Generation(before.number(), login, before.changedAtMillis());
			}
			return this.current;
		}
		Runnable listener;
		synchronized (this) {
			if (this.current != before) {
				return this.current;
			}
			this.current = new Generation(before.number() + 1, login, System.currentTimeMillis());
			this.rotations.increment();
			listener = this.onChange;
		}
		boolean newUser = !Objects.equals(username(before.login()), username(login));
		logger.info("Pool '" + this.source.pool() + "' has a new " + (newUser ? "username and password" : "password")
				+ " (" + this.source.describe() + "): new connections log in with it, the " + oldOpen()
				+ " opened before retire gradually");
		if (listener != null) {
			listener.run();
		}
		return this.current;
	}

	private boolean sameLogin(PoolCredentials.@Nullable Login before, PoolCredentials.@Nullable Login now) {
		if (!Objects.equals(username(before), username(now))) {
			return false;
		}
		return !this.source.retiresOnNewPassword() || Objects.equals(password(before), password(now));
	}

	private static @Nullable String username(PoolCredentials.@Nullable Login login) {
		return (login != null) ? login.username() : null;
	}

	private static @Nullable String password(PoolCredentials.@Nullable Login login) {
		return (login != null) ? login.password() : null;
	}

	/**
	 * Records a physical connection the pool just opened with the given login.
	 * @param physical the driver's connection
	 * @param username the user it logged in as
	 * @param password the password it logged in with
	 */
	public void opened(Connection physical, @Nullable String username, @Nullable String password) {
		if (!this.source.rotates()) {
			// A login that cannot change never retires a connection: nothing to remember.
			return;
		}
		Generation now = this.current;
		boolean current = Objects.equals(username, username(now.login()))
				&& (!this.source.retiresOnNewPassword() || Objects.equals(password, password(now.login())));
		// A connection that logged in with what was current a moment ago (the login
		// changed while it connected) belongs to the generation before.
		this.opened.put(physical, current ? now.number() : now.number() - 1);
	}

	/**
	 * Whether a physical connection logged in with an older login than the current one.
	 * @param physical the driver's connection
	 * @return true when it should retire
	 */
	public boolean isOld(Connection physical) {
		Long generation = this.opened.get(physical);
		return generation != null && generation < this.current.number();
	}

	/**
	 * Whether connections of an older login are being retired now.
	 * @return true during a retirement; a volatile read
	 */
	public boolean retiring() {
		return this.retiring;
	}

	/**
	 * Takes one of the step's permits to retire a connection, if it is old and a permit
	 * is left; the spread over the retirement window comes from the permits.
	 * @param physical the driver's connection
	 * @return true when the caller should retire it now
	 */
	public boolean takeRetirement(Connection physical) {
		if (!this.retiring || !isOld(physical)) {
			return false;
		}
		for (;;) {
			int left = this.permits.get();
			if (left <= 0) {
				return false;
			}
			if (this.permits.compareAndSet(left, left - 1)) {
				return true;
			}
		}
	}

	// The refresher opens a retirement, grants each step's permits and closes it.
	void retiring(boolean retiring, int permits) {
		this.permits.set(permits);
		this.retiring = retiring;
	}

	// Takes back the permits of the step that ends, so none can be taken while the next
	// step decides; only takers lower the count, so what the step granted minus what is
	// returned here is exactly how many it retired.
	int withdrawPermits() {
		return Math.max(0, this.permits.getAndSet(0));
	}

	/**
	 * How many connections still open logged in with an older login.
	 * @return the count
	 */
	public int oldOpen() {
		long number = this.current.number();
		return countOpen((generation) -> generation < number);
	}

	/**
	 * How many connections still open logged in with the current login: none yet means
	 * the new login has not been seen to work.
	 * @return the count
	 */
	public int currentOpen() {
		long number = this.current.number();
		return countOpen((generation) -> generation == number);
	}

	private int countOpen(LongPredicate generations) {
		List<Map.Entry<Connection, Long>> entries;
		synchronized (this.opened) {
			entries = new ArrayList<>(this.opened.entrySet());
		}
		int count = 0;
		for (Map.Entry<Connection, Long> entry : entries) {
			if (generations.test(entry.getValue()) && isOpen(entry.getKey())) {
				count++;
			}
		}
		return count;
	}

	private static boolean isOpen(Connection connection) {
		try {
			return !connection.isClosed();
		}
		catch (SQLException ex) {
			return false;
		}
	}

	/**
	 * Has the source's refresher re-read this login and retire the pool's old connections
	 * after a change, when the login may change at all.
	 * @param pool the pool this login is for
	 */
	public void watch(HikariDataSource pool) {
		CredentialRefresher refresher = this.source.refresher();
		if (refresher != null && this.source.rotates()) {
			refresher.watch(this, pool);
		}
	}

	/**
	 * Tells a listener about each new generation (once at most at a time).
	 * @param listener run on the thread that saw the change
	 */
	void onChange(Runnable listener) {
		this.onChange = listener;
	}

	/**
	 * The generation now.
	 * @return it
	 */
	public Generation current() {
		return this.current;
	}

	/**
	 * How many times the login changed since the pool started.
	 * @return the count
	 */
	public long rotations() {
		return this.rotations.sum();
	}

	/**
	 * Where the login comes from.
	 * @return the source
	 */
	public CredentialSource source() {
		return this.source;
	}

	@Override
	public String toString() {
		return "LiveCredentials[" + this.source.describe() + ", generation=" + this.current.number() + "]";
	}

	/**
	 * One login and since when it is the pool's.
	 *
	 * @param number 0 at startup, one more per change
	 * @param login the login, {@code null} for the driver's defaults
	 * @param changedAtMillis when it became the pool's (startup for generation 0)
	 */
	public record Generation(long number, PoolCredentials.@Nullable Login login, long changedAtMillis) {

		@Override
		public String toString() {
			return "Generation[" + this.number + "]";
		}

	}

}
