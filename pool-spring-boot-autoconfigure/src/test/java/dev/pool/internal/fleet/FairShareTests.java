package dev.pool.internal.fleet;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link FairShare}: max-min fair, work-conserving, never above the budget, the
 * same answer whoever computes it.
 */
class FairShareTests {

	@Test
	void busyInstancesSplitTheBudgetEvenly() {
		Map<String, Integer> shares = FairShare.of(24, asks("a", 21, "b", 21, "c", 21, "d", 21));
		assertThat(shares).containsEntry("a", 6).containsEntry("b", 6).containsEntry("c", 6).containsEntry("d", 6);
	}

	@Test
	void aRemainderGoesToTheFirstInstancesById() {
		Map<String, Integer> shares = FairShare.of(22, asks("d", 21, "b", 21, "a", 21, "c", 21));
		assertThat(shares).containsEntry("a", 6).containsEntry("b", 6).containsEntry("c", 5).containsEntry("d", 5);
		assertThat(shares.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(22);
	}

	@Test
	void idleInstancesLeaveTheirShareToABusyOne() {
		Map<String, Integer> shares = FairShare.of(22, asks("busy", 21, "idle-1", 3, "idle-2", 3, "idle-3", 3));
		assertThat(shares).containsEntry("busy", 13)
			.containsEntry("idle-1", 3)
			.containsEntry("idle-2", 3)
			.containsEntry("idle-3", 3);
	}

	@Test
	void everyoneGetsWhatItAsksWhenTheBudgetAllows() {
		Map<String, Integer> shares = FairShare.of(100, asks("a", 5, "b", 11, "c", 2));
		assertThat(shares).containsEntry("a", 5).containsEntry("b", 11).containsEntry("c", 2);
	}

	@Test
	void neverAboveTheBudget() {
		for (int budget = 0; budget < 40; budget++) {
			for (int n = 1; n < 7; n++) {
				Map<String, Integer> asks = new LinkedHashMap<>();
				for (int i = 0; i < n; i++) {
					asks.put("i" + i, (i * 7 + budget) % 23);
				}
				Map<String, Integer> shares = FairShare.of(budget, asks);
				assertThat(shares.values().stream().mapToInt(Integer::intValue).sum()).isLessThanOrEqualTo(budget);
				shares.forEach((id, share) -> assertThat(share).isBetween(0, asks.get(id)));
				// The same answer in any order of asking.
				java.util.List<String> ids = new java.util.ArrayList<>(asks.keySet());
				java.util.Collections.reverse(ids);
				Map<String, Integer> reversed = new LinkedHashMap<>();
				ids.forEach((id) -> reversed.put(id, asks.get(id)));
				assertThat(FairShare.of(budget, reversed)).isEqualTo(shares);
			}
		}
	}

	private static Map<String, Integer> asks(Object... idsAndAsks) {
		Map<String, Integer> asks = new LinkedHashMap<>();
		for (int i = 0; i < idsAndAsks.length; i += 2) {
			asks.put((String) idsAndAsks[i], (Integer) idsAndAsks[i + 1]);
		}
		return asks;
	}

}
