-- The same schema as db/migration/postgresql, in MariaDB's types (10.7 and later: UUID).
CREATE TABLE account (
    id         BIGINT         NOT NULL AUTO_INCREMENT PRIMARY KEY,
    owner      TEXT           NOT NULL,
    balance    DECIMAL(19, 2) NOT NULL DEFAULT 0 CHECK (balance >= 0),
    created_at TIMESTAMP(6)   NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
);

CREATE TABLE entry (
    id          BIGINT         NOT NULL AUTO_INCREMENT PRIMARY KEY,
    account_id  BIGINT         NOT NULL REFERENCES account (id),
    amount      DECIMAL(19, 2) NOT NULL,
    kind        TEXT           NOT NULL,
    transfer_id UUID,
    created_at  TIMESTAMP(6)   NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
);

CREATE INDEX entry_account_id ON entry (account_id, id);
