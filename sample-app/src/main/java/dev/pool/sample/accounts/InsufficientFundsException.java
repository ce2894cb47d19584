package dev.pool.sample.accounts;

import java.math.BigDecimal;

/** The debited account has less than the amount. */
public class InsufficientFundsException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public InsufficientFundsException(long account, BigDecimal balance, BigDecimal amount) {
		super("Account " + account + " has " + balance + ", cannot transfer " + amount);
	}

}
