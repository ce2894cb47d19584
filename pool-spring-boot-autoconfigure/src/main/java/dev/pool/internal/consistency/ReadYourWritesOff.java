package dev.pool.internal.consistency;

import java.util.Optional;
import java.util.function.Supplier;

import dev.pool.ReadYourWrites;
import dev.pool.internal.routing.Consistency;
import org.jspecify.annotations.Nullable;

/**
 * Read-your-writes off (by property, or no replica): no position is taken (the router
 * uses {@link Consistency#NONE}), every token is empty and ignored, and code written
 * against {@link ReadYourWrites} still runs.
 */
public final class ReadYourWritesOff implements ReadYourWrites {

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
