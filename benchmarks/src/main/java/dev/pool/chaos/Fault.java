package dev.pool.chaos;

/**
 * One fault of the schedule, as the harness did it.
 *
 * @param kind what it was
 * @param target the member it hit (empty for a burst)
 * @param detail what else it did (the new leader, the added member, how long)
 * @param startMillis when it began, since the run began
 * @param endMillis when it was over: the cluster whole again by Patroni's account (a
 * leader, every running member streaming) and the fault undone
 * @param replicaPorts the PostgreSQL ports of the replicas Patroni listed as serving then
 */
record Fault(Kind kind, String target, String detail, long startMillis, long endMillis,
		java.util.Set<Integer> replicaPorts) {

	/** The faults the schedule draws from. */
	enum Kind {

		/**
		 * SIGKILL of the leader's Patroni and postmaster; restarted once a new leader
		 * runs.
		 */
		LEADER_KILL("leader-kill"),

		/**
		 * {@code POST /switchover} to a replica, as {@code patronictl switchover} does.
		 */
		SWITCHOVER("switchover"),

		/** SIGKILL of a replica, restarted a few seconds later. */
		REPLICA_KILL("replica-kill"),

		/** SIGSTOP of a member (Patroni and postmaster) for 5-20 s, then SIGCONT. */
		FREEZE("freeze"),

		/**
		 * A replica's WAL replay stalled (its startup process SIGSTOPped) for 5-15 s,
		 * then resumed.
		 */
		REPLAY_DELAY("replay-delay"),

		/** A replica stopped and deleted, and a new member added in its place. */
		MEMBER_REPLACED("member-replaced"),

		/** Clients beyond every pool for 5 s. */
		BURST("burst");

		final String code;

		Kind(String code) {
			this.code = code;
		}

	}

}
