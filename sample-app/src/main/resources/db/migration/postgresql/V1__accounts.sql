CREATE TABLE account (
    id         BIGSERIAL PRIMARY KEY,
    owner      TEXT           NOT NULL,
    balance    NUMERIC(19, 2) NOT NULL DEFAULT 0 CHECK (balance >= 0),
    created_at TIMESTAMPTZ    NOT NULL DEFAULT now()
);

CREATE TABLE entry (
    id          BIGSERIAL PRIMARY KEY,
    account_id  BIGINT         NOT NULL REFERENCES account (id),
    amount      NUMERIC(19, 2) NOT NULL,
    kind        TEXT           NOT NULL,
    transfer_id UUID,
    created_at  TIMESTAMPTZ    NOT NULL DEFAULT now()
);

CREATE INDEX entry_account_id ON entry (account_id, id);
