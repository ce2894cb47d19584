package dev.pool.sample.accounts;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * An account and which database node served it ({@code primary} or {@code replica}).
 *
 * @param id account id
 * @param owner who owns it
 * @param balance current balance
 * @param createdAt when it was opened
 * @param servedBy the node the read came from
 */
public record Account(long id, String owner, BigDecimal balance, OffsetDateTime createdAt, String servedBy) {
}
