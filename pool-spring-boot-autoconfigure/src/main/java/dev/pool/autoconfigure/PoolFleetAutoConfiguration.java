package dev.pool.autoconfigure;

import dev.pool.internal.fleet.Fleet;
import dev.pool.internal.fleet.RoleWithoutLimitException;
import dev.pool.internal.routing.RoutingDataSource;
import dev.pool.internal.topology.LiveTopology;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * A connection budget every instance of the service shares on each database server
 * ({@code app.datasource.fleet.max-connections}), and pools whose live maximum follows
 * their load within it ({@code app.datasource.sizing.adaptive}, on by default with a
 * budget).
 */
@AutoConfiguration(after = PoolAutoConfiguration.class)
@ConditionalOnBean(RoutingDataSource.class)
@Conditional(PoolFleetAutoConfiguration.OnFleetOrAdaptiveSizingCondition.class)
public final class PoolFleetAutoConfiguration {

	@Bean
	Fleet poolFleet(PoolStartup poolStartup, PoolProperties properties) {
		PoolProperties.Fleet fleet = properties.getFleet();
		String budget = fleet.getMaxConnections();
		Integer connections = (budget == null || "role".equalsIgnoreCase(budget.trim())) ? null
				: Integer.valueOf(budget.trim());
		Boolean adaptive = properties.getSizing().getAdaptive();
		PoolSettingsFactory factory = poolStartup.factory();
		return new Fleet(connections, fleet.getReserve(), factory.fleetInstance(), factory.applicationName(),
				(adaptive != null) ? adaptive : factory.fleetInstance() != null, fleet.getRefreshInterval());
	}

	/**
	 * The first settlement as soon as the topology (and so every pool) exists: before the
	 * SQL initializer, Flyway, JPA or anything else can borrow a connection.
	 * @param poolFleet the fleet
	 * @return the post-processor
	 */
	@Bean
	static BeanPostProcessor poolFleetSettlement(ObjectProvider<Fleet> poolFleet) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof LiveTopology topology) {
					try {
						poolFleet.getObject().settle(topology);
					}
					catch (RoleWithoutLimitException ex) {
						throw new InvalidPoolConfigurationException("app.datasource.fleet.max-connections", "role",
								"is the login role's CONNECTION LIMIT, but the role of pool '" + ex.getPool()
										+ "' has none",
								"Give the role a limit (ALTER ROLE ... CONNECTION LIMIT n) or set "
										+ "app.datasource.fleet.max-connections to a number.");
					}
				}
				return bean;
			}

		};
	}

	/** A fleet budget is set, or adaptive sizing is asked for. */
	static final class OnFleetOrAdaptiveSizingCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Environment environment = context.getEnvironment();
			ConditionMessage.Builder message = ConditionMessage.forCondition("Fleet budget or adaptive sizing");
			if (StringUtils.hasText(environment.getProperty("app.datasource.fleet.max-connections"))) {
				return ConditionOutcome.match(message.because("app.datasource.fleet.max-connections is set"));
			}
			if ("true".equalsIgnoreCase(environment.getProperty("app.datasource.sizing.adaptive"))) {
				return ConditionOutcome.match(message.because("app.datasource.sizing.adaptive is true"));
			}
			return ConditionOutcome.noMatch(message.because("neither is set"));
		}

	}

}
