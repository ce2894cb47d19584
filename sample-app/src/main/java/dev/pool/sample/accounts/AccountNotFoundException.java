package dev.pool.sample.accounts;

/** No account with that id. */
public class AccountNotFoundException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public AccountNotFoundException(long id) {
		super("Account " + id + " not found");
	}

}
