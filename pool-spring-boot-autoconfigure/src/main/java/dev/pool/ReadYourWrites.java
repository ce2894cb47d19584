package dev.pool;

import java.util.Optional;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Read-your-writes beyond one thread: after this thread's writes commit,
 * {@link #currentToken()} describes what they reached; code that runs
 * {@link #runWith(String, Runnable) with} that token, on any thread or in any process
 * using the same database, reads from a replica only once it has replayed those writes,
 * else from the primary. Inject it as a bean; it does nothing (and tokens are empty) when
 * read-your-writes is off or no replica is configured.
 * <p>
 * Web requests need none of this: the starter's filter carries the token in a cookie and
 * the {@code DB-Consistency} header.
 */
public interface ReadYourWrites {

	/**
	 * The token covering every write this thread has committed (and any token it runs
	 * with), while it is younger than {@code app.datasource.consistency.token-ttl}.
	 * @return the token, empty when this thread has nothing to cover
	 */
	Optional<String> currentToken();

	/**
	 * Runs work whose reads see at least what the token covers. A token that is not valid
	 * (garbage, expired, ahead of the primary) is ignored, as if none was given.
	 * @param token a token from {@link #currentToken()}, possibly from another process,
	 * or {@code null}
	 * @param work the work
	 */
	void runWith(@Nullable String token, Runnable work);

	/**
	 * Runs work whose reads see at least what the token covers, and returns its result.
	 * @param <T> the result type
	 * @param token a token from {@link #currentToken()}, or {@code null}
	 * @param work the work
	 * @return what the work returned
	 */
	<T> T callWith(@Nullable String token, Supplier<T> work);

}
