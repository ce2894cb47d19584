package dev.pool.autoconfigure;

import dev.pool.internal.credentials.CredentialRefresher;
import dev.pool.internal.event.PoolEventPublisher;
import dev.pool.internal.routing.RoutingDataSource;
import dev.pool.internal.topology.LiveTopology;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

/**
 * The {@link dev.pool.event} application events: replicas ejected, re-admitted, added and
 * removed, the primary changed, the circuit breaker's transitions, login rotations and
 * live maximum changes, published off the borrow path on a thread of their own.
 */
@AutoConfiguration(after = PoolAutoConfiguration.class)
@ConditionalOnBean(RoutingDataSource.class)
public final class PoolEventsAutoConfiguration {

	@Bean(destroyMethod = "close")
	PoolEventPublisher poolEventPublisher(LiveTopology poolTopology, CredentialRefresher poolCredentialRefresher,
			ApplicationEventPublisher applicationEventPublisher) {
		return new PoolEventPublisher(poolTopology, poolCredentialRefresher, applicationEventPublisher);
	}

}
