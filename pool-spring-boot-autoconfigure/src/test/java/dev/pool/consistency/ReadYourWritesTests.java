package dev.pool.consistency;

import java.time.Duration;

import dev.pool.internal.consistency.ConsistencyToken;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The read-your-writes suite on PostgreSQL, by WAL position, on replicas that apply WAL
 * {@value DelayedReplicas#DELAY_SECONDS} s late.
 */
class ReadYourWritesTests extends AbstractReadYourWritesTests {

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		DelayedReplicas.register(registry);
	}

	@Override
	DelayedDatabase database() {
		return new DelayedDatabase() {

			@Override
			public String primary() {
				return "false:" + DelayedReplicas.cluster().primary().port();
			}

			@Override
			public String replica(int index) {
				return "true:" + DelayedReplicas.cluster().replica(index).port();
			}

			@Override
			public void delay(int index, Duration delay) {
				DelayedReplicas.cluster().replica(index).setReplayDelay(delay);
			}

			@Override
			public Duration delay() {
				return DelayedReplicas.DELAY;
			}

			@Override
			public ConsistencyToken.Flavour flavour() {
				return ConsistencyToken.Flavour.WAL;
			}

		};
	}

}
