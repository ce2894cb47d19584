package dev.pool.slice;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The application Boot's test slices in this package find, with a JPA entity and a Spring
 * Data JDBC aggregate.
 */
@SpringBootApplication
public class SliceApp {

	/**
	 * Which node answers: {@code true:<port>} on a replica, {@code false:<port>} on the
	 * primary.
	 */
	public static final String NODE = "SELECT CAST(pg_is_in_recovery() AS text) || ':' || inet_server_port()";

}
