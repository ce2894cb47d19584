package dev.pool;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public API is what users need ({@code @ReadOnly}, the properties, the exceptions
 * they map, the auto-configurations they may exclude); everything else lives in
 * {@code dev.pool.internal} or is package-private, and no public API type exposes an
 * internal one.
 */
class PublicApiTests {

	@Test
	void publicTypesOutsideTheInternalPackagesAreTheApi() throws Exception {
		TreeSet<String> api = new TreeSet<>();
		for (Class<?> type : mainTypes()) {
			if (Modifier.isPublic(type.getModifiers()) && !isInternal(type)) {
				api.add(type.getName());
			}
		}
		assertThat(api).containsExactly("dev.pool.ConnectionUnavailableException", "dev.pool.DrainingException",
				"dev.pool.InvalidTenantIdException", "dev.pool.LoadBalancing", "dev.pool.NoReplicaAvailableException",
				"dev.pool.PoolCredentials", "dev.pool.PoolCredentials$Login", "dev.pool.PrimaryUnavailableException",
				"dev.pool.ReadOnly", "dev.pool.ReadYourWrites", "dev.pool.ReplicaConnectionDetails",
				"dev.pool.TenantDirectory", "dev.pool.TenantResolver", "dev.pool.TenantScope",
				"dev.pool.TenantUnavailableException", "dev.pool.TopologySource", "dev.pool.TopologySource$Node",
				"dev.pool.TopologySource$Nodes", "dev.pool.UnknownTenantException",
				"dev.pool.autoconfigure.PoolAutoConfiguration", "dev.pool.autoconfigure.PoolDrainAutoConfiguration",
				"dev.pool.autoconfigure.PoolEventsAutoConfiguration",
				"dev.pool.autoconfigure.PoolFleetAutoConfiguration",
				"dev.pool.autoconfigure.PoolHealthAutoConfiguration",
				"dev.pool.autoconfigure.PoolMetricsAutoConfiguration", "dev.pool.autoconfigure.PoolProperties",
				"dev.pool.autoconfigure.PoolProperties$CircuitBreaker",
				"dev.pool.autoconfigure.PoolProperties$Consistency",
				"dev.pool.autoconfigure.PoolProperties$Credentials", "dev.pool.autoconfigure.PoolProperties$Dns",
				"dev.pool.autoconfigure.PoolProperties$DnsRecordType", "dev.pool.autoconfigure.PoolProperties$Drain",
				"dev.pool.autoconfigure.PoolProperties$Exhaustion", "dev.pool.autoconfigure.PoolProperties$Fleet",
				"dev.pool.autoconfigure.PoolProperties$Observations", "dev.pool.autoconfigure.PoolProperties$Patroni",
				"dev.pool.autoconfigure.PoolProperties$Pool", "dev.pool.autoconfigure.PoolProperties$Routing",
				"dev.pool.autoconfigure.PoolProperties$Sizing", "dev.pool.autoconfigure.PoolProperties$TenantFlyway",
				"dev.pool.autoconfigure.PoolProperties$TenantMode", "dev.pool.autoconfigure.PoolProperties$Tenants",
				"dev.pool.autoconfigure.PoolProperties$Topology",
				"dev.pool.autoconfigure.PoolProperties$TopologySourceType",
				"dev.pool.autoconfigure.PoolTenantsAutoConfiguration",
				"dev.pool.autoconfigure.PoolWebAutoConfiguration",
				"dev.pool.autoconfigure.PoolsEndpointAutoConfiguration", "dev.pool.event.CircuitBreakerEvent",
				"dev.pool.event.CredentialsRotatedEvent", "dev.pool.event.PoolEvent",
				"dev.pool.event.PoolExhaustedEvent", "dev.pool.event.PoolSizeChangedEvent",
				"dev.pool.event.PrimaryChangedEvent", "dev.pool.event.ReplicaAddedEvent",
				"dev.pool.event.ReplicaEjectedEvent", "dev.pool.event.ReplicaReadmittedEvent",
				"dev.pool.event.ReplicaRemovedEvent");
	}

	@Test
	void noApiTypeExposesAnInternalType() throws Exception {
		List<String> leaks = new ArrayList<>();
		for (Class<?> type : mainTypes()) {
			if (!Modifier.isPublic(type.getModifiers()) || isInternal(type)) {
				continue;
			}
			for (Method method : type.getDeclaredMethods()) {
				if (visible(method.getModifiers())) {
					check(leaks, method.toString(), method.getReturnType());
					for (Class<?> parameter : method.getParameterTypes()) {
						check(leaks, method.toString(), parameter);
					}
				}
			}
			for (Constructor<?> constructor : type.getDeclaredConstructors()) {
				if (visible(constructor.getModifiers())) {
					for (Class<?> parameter : constructor.getParameterTypes()) {
						check(leaks, constructor.toString(), parameter);
					}
				}
			}
			for (Field field : type.getDeclaredFields()) {
				if (visible(field.getModifiers())) {
					check(leaks, field.toString(), field.getType());
				}
			}
		}
		assertThat(leaks).isEmpty();
	}

	private static void check(List<String> leaks, String member, Class<?> type) {
		Class<?> component = type.isArray() ? type.getComponentType() : type;
		if (isInternal(component)) {
			leaks.add(member);
		}
	}

	private static boolean visible(int modifiers) {
		return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
	}

	private static boolean isInternal(Class<?> type) {
		return type.getName().startsWith("dev.pool.internal.");
	}

	// The module's own compiled classes, not its tests'.
	private static List<Class<?>> mainTypes() throws IOException, ClassNotFoundException {
		List<Class<?>> types = new ArrayList<>();
		for (Resource resource : new PathMatchingResourcePatternResolver()
			.getResources("classpath*:dev/pool/**/*.class")) {
			String url = resource.getURL().toString();
			if (!url.contains("/pool-spring-boot-autoconfigure/target/classes/")) {
				continue;
			}
			String name = url.substring(url.indexOf("/target/classes/") + "/target/classes/".length())
				.replace(".class", "")
				.replace('/', '.');
			if (name.endsWith("package-info") || name.matches(".*\\$[0-9].*")) {
				continue;
			}
			Class<?> type = Class.forName(name, false, PublicApiTests.class.getClassLoader());
			// Nested types count when they can be reached: a public type inside a public
			// one.
			Class<?> outer = type.getEnclosingClass();
			if (outer == null || Modifier.isPublic(outer.getModifiers())) {
				types.add(type);
			}
		}
		assertThat(types).as("main classes found").hasSizeGreaterThan(40);
		return types;
	}

}
