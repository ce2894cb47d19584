package dev.pool.sample.accounts;

import java.util.List;
import java.util.Optional;

import dev.pool.ReadOnly;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Every read of the service: on a replica, except when called inside a write transaction,
 * where it reads the primary and so sees the write it follows.
 */
@Service
@ReadOnly
public class AccountQueries {

	// pg_is_in_recovery() in the same statement: the response says which node served it,
	// free.
	private static final String ACCOUNT = "SELECT id, owner, balance, created_at, "
			+ "CASE WHEN pg_is_in_recovery() THEN 'replica' ELSE 'primary' END AS served_by FROM account";

	private static final RowMapper<Account> ACCOUNT_ROW = (rs, i) -> new Account(rs.getLong("id"),
			rs.getString("owner"), rs.getBigDecimal("balance"),
			rs.getObject("created_at", java.time.OffsetDateTime.class), rs.getString("served_by"));

	private final JdbcClient jdbc;

	public AccountQueries(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public List<Account> all() {
		return this.jdbc.sql(ACCOUNT + " ORDER BY id").query(ACCOUNT_ROW).list();
	}

	public Optional<Account> find(long id) {
		return this.jdbc.sql(ACCOUNT + " WHERE id = ?").param(id).query(ACCOUNT_ROW).optional();
	}

	public List<Entry> history(long accountId) {
		return this.jdbc
			.sql("SELECT id, amount, kind, transfer_id, created_at FROM entry WHERE account_id = ? ORDER BY id")
			.param(accountId)
			.query((rs, i) -> new Entry(rs.getLong("id"), rs.getBigDecimal("amount"), rs.getString("kind"),
					rs.getObject("transfer_id", java.util.UUID.class),
					rs.getObject("created_at", java.time.OffsetDateTime.class)))
			.list();
	}

}
