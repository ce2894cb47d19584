package dev.pool.internal.consistency;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Supplier;

import dev.pool.ReadYourWrites;
import dev.pool.internal.datasource.ManagedPool;
import dev.pool.internal.routing.Consistency;
import org.jspecify.annotations.Nullable;

/**
 * Read-your-writes off (by property, or no replica): no position is taken, every token is
 * empty and ignored, and code written against {@link ReadYourWrites} still runs.
 */
public final class ReadYourWritesOff implements Consistency, ReadYourWrites {

	@Override
	public void commit(ManagedPool pool, Connection physical) throws SQLException {
		Consistency.NONE.commit(pool, physical);
	}

	@Override
	public boolean tracksWrites() {
		return false;
	}

	@Override
	public boolean mayWrite(String sql) {
		return false;
	}

	@Override
	public void wroteOutsideTransaction(Connection physical) {
	}

	@Override
	public long required() {
		return 0;
	}

	@Override
	public boolean satisfiedBy(ManagedPool replica, long required) {
		return true;
	}

	@Override
	public boolean claimRefresh(ManagedPool replica) {
		return false;
	}

	@Override
	public boolean refresh(ManagedPool replica, Connection connection, long required) {
		return true;
	}

	@Override
	public long maxWaitNanos() {
		return 0;
	}

	@Override
	public Optional<String> currentToken() {
		return Optional.empty();
	}

	@Override
	public void runWith(@Nullable String token, Runnable work) {
		work.run();
	}

	@Override
	public <T> T callWith(@Nullable String token, Supplier<T> work) {
		return work.get();
	}

}
