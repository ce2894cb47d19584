package dev.pool.internal.datasource;

/**
 * What a pool serves: the read-write primary or a read-only replica.
 */
public enum PoolRole {

	/** The read-write database. */
	PRIMARY,

	/** A read-only replica. */
	REPLICA,

	/** A tenant's database (tenancy mode database), opened on first use. */
	TENANT,

	/** A named extra datasource: its own pool, never routed. */
	EXTRA

}
