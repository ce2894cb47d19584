package dev.pool.internal.routing;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadLocalRandom;

import dev.pool.LoadBalancing;
import dev.pool.internal.topology.ReplicaNode;

/**
 * Picks one replica among the eligible ones; lock-free and allocation-free, as it runs on
 * every routed read.
 */
@FunctionalInterface
interface LoadBalancer {

	/**
	 * Chooses a replica.
	 * @param candidates the eligible replicas, never empty
	 * @return the index of one of them
	 */
	int choose(ReplicaNode[] candidates);

	/** The balancer for a configured strategy. */
	static LoadBalancer of(LoadBalancing strategy) {
		return switch (strategy) {
			case ROUND_ROBIN -> new RoundRobin();
			case RANDOM -> (candidates) -> ThreadLocalRandom.current().nextInt(candidates.length);
			case LEAST_CONNECTIONS -> new LeastConnections();
		};
	}

	/** Each read takes the next replica in turn. */
	final class RoundRobin implements LoadBalancer {

		private static final VarHandle NEXT;

		static {
			try {
				NEXT = MethodHandles.lookup().findVarHandle(RoundRobin.class, "next", int.class);
			}
			catch (ReflectiveOperationException ex) {
				throw new ExceptionInInitializerError(ex);
			}
		}

		// Opaque, not atomic: two threads that race may take the same turn, which only
		// sends two reads to one replica, while an atomic increment would cost a locked
		// instruction on every read. The turns stay exact for one thread and even across
		// many. Wrapped by a comparison rather than a remainder: an integer division
		// costs more than the rest of the choice.
		private int next;

		@Override
		public int choose(ReplicaNode[] candidates) {
			return turn(candidates.length);
		}

		/** The next turn among {@code count} candidates, from 0 to {@code count - 1}. */
		int turn(int count) {
			int turn = (int) NEXT.getOpaque(this);
			if (turn >= count) {
				turn = 0;
			}
			NEXT.setOpaque(this, turn + 1);
			return turn;
		}

	}

	/**
	 * The replica with the fewest connections in use; ties are broken in turn so idle
	 * replicas share the load instead of the first one taking it all.
	 */
	final class LeastConnections implements LoadBalancer {

		private final RoundRobin start = new RoundRobin();

		@Override
		public int choose(ReplicaNode[] candidates) {
			int n = candidates.length;
			int offset = this.start.turn(n);
			int best = offset;
			int bestActive = candidates[best].pool().activeConnections();
			for (int i = 1; i < n && bestActive > 0; i++) {
				int index = offset + i;
				index = (index < n) ? index : index - n;
				int active = candidates[index].pool().activeConnections();
				if (active < bestActive) {
					best = index;
					bestActive = active;
				}
			}
			return best;
		}

	}

}
