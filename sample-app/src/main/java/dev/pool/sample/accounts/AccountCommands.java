package dev.pool.sample.accounts;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Every write of the service, on the primary; each reads back its result in the same
 * transaction (read-your-writes).
 */
@Service
public class AccountCommands {

	private final JdbcClient jdbc;

	private final AccountQueries queries;

	public AccountCommands(JdbcClient jdbc, AccountQueries queries) {
		this.jdbc = jdbc;
		this.queries = queries;
	}

	@Transactional
	public Account open(String owner, @Nullable BigDecimal initialDeposit) {
		long id = this.jdbc.sql("INSERT INTO account (owner) VALUES (?) RETURNING id")
			.param(owner)
			.query(Long.class)
			.single();
		if (initialDeposit != null && initialDeposit.signum() > 0) {
			credit(id, initialDeposit, "deposit", null);
		}
		return this.queries.find(id).orElseThrow();
	}

	@Transactional
	public Account deposit(long accountId, @Nullable BigDecimal amount) {
		BigDecimal deposit = requirePositive(amount);
		lock(List.of(accountId));
		credit(accountId, deposit, "deposit", null);
		return this.queries.find(accountId).orElseThrow();
	}

	/**
	 * Moves money atomically; both rows are locked in id order so concurrent transfers
	 * cannot deadlock.
	 */
	@Transactional
	public Transfer transfer(long from, long to, @Nullable BigDecimal requested) {
		BigDecimal amount = requirePositive(requested);
		if (from == to) {
			throw new InvalidRequestException("Cannot transfer to the same account");
		}
		lock(List.of(Math.min(from, to), Math.max(from, to)));
		BigDecimal balance = this.jdbc.sql("SELECT balance FROM account WHERE id = ?")
			.param(from)
			.query(BigDecimal.class)
			.single();
		if (balance.compareTo(amount) < 0) {
			throw new InsufficientFundsException(from, balance, amount);
		}
		UUID transferId = UUID.randomUUID();
		credit(from, amount.negate(), "transfer-out", transferId);
		credit(to, amount, "transfer-in", transferId);
		return new Transfer(transferId, from, to, amount);
	}

	private void lock(List<Long> ids) {
		for (long id : ids) {
			boolean found = this.jdbc.sql("SELECT id FROM account WHERE id = ? FOR UPDATE")
				.param(id)
				.query(Long.class)
				.optional()
				.isPresent();
			if (!found) {
				throw new AccountNotFoundException(id);
			}
		}
	}

	private void credit(long accountId, BigDecimal amount, String kind, @Nullable UUID transferId) {
		this.jdbc.sql("UPDATE account SET balance = balance + ? WHERE id = ?").param(amount).param(accountId).update();
		this.jdbc.sql("INSERT INTO entry (account_id, amount, kind, transfer_id) VALUES (?, ?, ?, ?)")
			.param(accountId)
			.param(amount)
			.param(kind)
			.param(transferId)
			.update();
	}

	private static BigDecimal requirePositive(@Nullable BigDecimal amount) {
		if (amount == null || amount.signum() <= 0) {
			throw new InvalidRequestException("amount must be positive");
		}
		return amount;
	}

	/**
	 * A completed transfer.
	 *
	 * @param id transfer id
	 * @param from debited account
	 * @param to credited account
	 * @param amount amount moved
	 */
	public record Transfer(UUID id, long from, long to, BigDecimal amount) {
	}

}
