package dev.pool.sample.accounts;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * One line of an account's history.
 *
 * @param id entry id
 * @param amount signed amount
 * @param kind deposit, transfer-in or transfer-out
 * @param transferId the transfer it belongs to, if any
 * @param createdAt when it happened
 */
public record Entry(long id, BigDecimal amount, String kind, @Nullable UUID transferId, OffsetDateTime createdAt) {
}
