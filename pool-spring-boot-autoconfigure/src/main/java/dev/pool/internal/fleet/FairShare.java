package dev.pool.internal.fleet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Max-min fair shares of a budget: every instance gets what it asks for if the budget
 * allows, and what cannot be given is taken from those that ask most, so an idle
 * instance's unused share goes to a busy one (work-conserving) and busy instances split
 * the budget evenly. Every instance computes the same shares from the same answer: ties
 * are broken by instance id.
 */
final class FairShare {

	private FairShare() {
	}

	/**
	 * Shares out a budget.
	 * @param budget the slots there are
	 * @param wanted each instance's ask, by instance id
	 * @return each instance's share, by instance id; they add up to at most the budget
	 */
	static Map<String, Integer> of(int budget, Map<String, Integer> wanted) {
		List<Map.Entry<String, Integer>> asks = new ArrayList<>(wanted.entrySet());
		// Smallest asks first; equal asks in id order, so the remainder of an even split
		// goes to the same instances whoever computes it.
		asks.sort(Comparator.comparing((Map.Entry<String, Integer> entry) -> entry.getValue())
			.thenComparing(Map.Entry::getKey));
		Map<String, Integer> shares = new LinkedHashMap<>();
		int left = Math.max(0, budget);
		int count = asks.size();
		for (int i = 0; i < asks.size(); i++) {
			Map.Entry<String, Integer> ask = asks.get(i);
			int remaining = count - i;
			int even = left / remaining;
			int extra = (left % remaining > 0 && remainderGoesTo(asks, i, left % remaining)) ? 1 : 0;
			int share = Math.min(Math.max(0, ask.getValue()), even + extra);
			shares.put(ask.getKey(), share);
			left -= share;
		}
		return shares;
	}

	// Of the instances still to serve, the remainder of an even split goes to the first
	// ones by id.
	private static boolean remainderGoesTo(List<Map.Entry<String, Integer>> asks, int index, int remainder) {
		List<String> rest = new ArrayList<>();
		for (int i = index; i < asks.size(); i++) {
			rest.add(asks.get(i).getKey());
		}
		rest.sort(Comparator.naturalOrder());
		return rest.indexOf(asks.get(index).getKey()) < remainder;
	}

}
