package dev.pool.sample.accounts;

import java.util.List;
import java.util.Optional;

import dev.pool.ReadOnly;
import dev.pool.sample.dialect.SampleSql;

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

	// Which node served it, in the same statement: the response says it, free.
	private final String account;

	private static final RowMapper<Account> ACCOUNT_ROW = (rs, i) -> new Account(rs.getLong("id"),
			rs.getString("owner"), rs.getBigDecimal("balance"),
			rs.getObject("created_at", java.time.OffsetDateTime.class), rs.getString("served_by"));

	private final JdbcClient jdbc;

	public AccountQueries(JdbcClient jdbc, SampleSql sql) {
		this.jdbc = jdbc;
		this.account = "SELECT id, owner, balance, created_at, " + sql.servedBy() + " AS served_by FROM account";
	}

	public List<Account> all() {
		return this.jdbc.sql(this.account + " ORDER BY id").query(ACCOUNT_ROW).list();
	}

	public Optional<Account> find(long id) {
		return this.jdbc.sql(this.account + " WHERE id = ?").param(id).query(ACCOUNT_ROW).optional();
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
