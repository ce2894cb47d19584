package dev.pool.internal.routing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.DatabaseMetaData;

import org.jspecify.annotations.Nullable;

/**
 * The metadata of a {@link RoutingConnection} that has no node yet: what identifies the
 * connection (its URL, its connection) is answered without choosing one, anything about
 * the database itself routes the connection and asks the physical connection. The URL
 * before routing is the primary's, the {@code DataSource}'s own, as HikariCP would report
 * it; after routing every call is the physical connection's.
 */
final class UnroutedMetaData implements InvocationHandler {

	private final RoutingConnection connection;

	private final String url;

	private UnroutedMetaData(RoutingConnection connection, String url) {
		this.connection = connection;
		this.url = url;
	}

	static DatabaseMetaData of(RoutingConnection connection, String url) {
		return (DatabaseMetaData) Proxy.newProxyInstance(UnroutedMetaData.class.getClassLoader(),
				new Class<?>[] { DatabaseMetaData.class }, new UnroutedMetaData(connection, url));
	}

	@Override
	public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args) throws Throwable {
		switch (method.getName()) {
			case "getConnection":
				return this.connection;
			case "getURL":
				return this.url;
			case "equals":
				return proxy == args[0];
			case "hashCode":
				return System.identityHashCode(proxy);
			case "toString":
				return "DatabaseMetaData of a connection not routed yet (" + this.url + ")";
			default:
				try {
					return method.invoke(this.connection.routedMetaData(), args);
				}
				catch (InvocationTargetException ex) {
					throw ex.getTargetException();
				}
		}
	}

}
