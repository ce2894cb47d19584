package dev.pool.internal.routing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LoadBalancer}'s round-robin turns.
 */
class LoadBalancerTests {

	@Test
	void roundRobinTakesEveryTurnInOrderFromOneThread() {
		LoadBalancer.RoundRobin roundRobin = new LoadBalancer.RoundRobin();
		int[] turns = new int[7];
		for (int i = 0; i < turns.length; i++) {
			turns[i] = roundRobin.turn(3);
		}
		assertThat(turns).containsExactly(0, 1, 2, 0, 1, 2, 0);
	}

	@Test
	void roundRobinStaysInRangeWhenTheCandidatesShrink() {
		LoadBalancer.RoundRobin roundRobin = new LoadBalancer.RoundRobin();
		roundRobin.turn(3);
		roundRobin.turn(3);
		// Two of three replicas ejected: the next turn must still name a candidate.
		assertThat(roundRobin.turn(1)).isZero();
		assertThat(roundRobin.turn(1)).isZero();
		assertThat(roundRobin.turn(2)).isEqualTo(1);
	}

}
