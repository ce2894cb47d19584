package dev.pool.sample.accounts;

import java.math.BigDecimal;
import java.net.URI;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The HTTP API: open, deposit, transfer, list, get, history.
 */
@RestController
public class AccountController {

	private final AccountCommands commands;

	private final AccountQueries queries;

	public AccountController(AccountCommands commands, AccountQueries queries) {
		this.commands = commands;
		this.queries = queries;
	}

	@PostMapping("/accounts")
	public ResponseEntity<Account> open(@RequestBody OpenAccount request) {
		Account account = this.commands.open(request.owner(), request.initialDeposit());
		return ResponseEntity.created(URI.create("/accounts/" + account.id())).body(account);
	}

	@PostMapping("/accounts/{id}/deposits")
	public Account deposit(@PathVariable long id, @RequestBody Amount request) {
		return this.commands.deposit(id, request.amount());
	}

	@PostMapping("/transfers")
	public AccountCommands.Transfer transfer(@RequestBody TransferRequest request) {
		return this.commands.transfer(request.from(), request.to(), request.amount());
	}

	@GetMapping("/accounts")
	public List<Account> all() {
		return this.queries.all();
	}

	@GetMapping("/accounts/{id}")
	public Account one(@PathVariable long id) {
		return this.queries.find(id).orElseThrow(() -> new AccountNotFoundException(id));
	}

	@GetMapping("/accounts/{id}/history")
	public List<Entry> history(@PathVariable long id) {
		return this.queries.history(id);
	}

	@ExceptionHandler(AccountNotFoundException.class)
	ProblemDetail notFound(AccountNotFoundException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
	}

	@ExceptionHandler(InsufficientFundsException.class)
	ProblemDetail insufficient(InsufficientFundsException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
	}

	@ExceptionHandler(InvalidRequestException.class)
	ProblemDetail invalid(InvalidRequestException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
	}

	/** Body of POST /accounts. */
	public record OpenAccount(String owner, @Nullable BigDecimal initialDeposit) {
	}

	/** Body of POST /accounts/{id}/deposits. */
	public record Amount(@Nullable BigDecimal amount) {
	}

	/** Body of POST /transfers. */
	public record TransferRequest(long from, long to, @Nullable BigDecimal amount) {
	}

}
