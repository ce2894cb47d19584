CREATE TABLE account (
    id      BIGSERIAL PRIMARY KEY,
    owner   TEXT NOT NULL
);
