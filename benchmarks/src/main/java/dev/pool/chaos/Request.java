package dev.pool.chaos;

/**
 * One request of the history, as its client saw it.
 *
 * @param client the client's id
 * @param instance which application instance it asked (0 or 1)
 * @param op what it asked
 * @param seq for a write, the seq it wrote; for a read of its own writes, the highest seq
 * the client had seen acknowledged when it sent the request
 * @param startMillis when it was sent, since the run began
 * @param endMillis when its answer came (or the client gave up), since the run began
 * @param status the HTTP status, {@link #UNANSWERED} when no answer came in time,
 * {@link #NO_CONNECTION} when the application could not be reached
 * @param port the PostgreSQL port that served it (0 unless status 200)
 * @param value for a read of its own writes, the highest seq it returned; for a write, 1
 * when the answer carried the write's position ({@code DB-Consistency}), else 0
 */
record Request(int client, int instance, Op op, int seq, long startMillis, long endMillis, int status, int port,
		int value) {

	static final int UNANSWERED = -1;

	static final int NO_CONNECTION = -2;

	long millis() {
		return this.endMillis - this.startMillis;
	}

	boolean ok() {
		return this.status == 200;
	}

	boolean overlaps(long from, long to) {
		return this.startMillis <= to && this.endMillis >= from;
	}

	String csv() {
		return this.startMillis + "," + this.endMillis + "," + this.client + "," + this.instance + "," + this.op.code
				+ "," + this.seq + "," + this.status + "," + this.port + "," + this.value;
	}

	/** What a request asks. */
	enum Op {

		/** A write in a transaction. */
		TX_WRITE("tx"),

		/** A write in autocommit mode. */
		WRITE("auto"),

		/** A read of the client's own last write, carrying its cookie. */
		OWN_READ("own"),

		/** A plain replica read. */
		READ("read");

		final String code;

		Op(String code) {
			this.code = code;
		}

		boolean isWrite() {
			return this == TX_WRITE || this == WRITE;
		}

	}

}
