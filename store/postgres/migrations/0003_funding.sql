-- funding: funds, ledger accounts with their balances, and the double-entry ledger of
-- postings (记账凭证). Conventions as in 0001_governance.sql; amounts are NUMERIC, exact.

-- An account keeps its balance, updated by every posting under a row lock (postings lock
-- their accounts in ID order, so they cannot deadlock). The CHECK is the last line of
-- defence: no account but a source account can be left below zero, whatever the code does.
CREATE TABLE fund_accounts (
    id       text COLLATE "C" PRIMARY KEY,
    kind     text NOT NULL,
    unit     text NOT NULL,
    name     text NOT NULL,
    fund_id  text NOT NULL,
    node_id  text NOT NULL,
    owner_id text NOT NULL,
    balance  numeric NOT NULL DEFAULT 0,
    CHECK (kind = 'source' OR balance >= 0)
);

CREATE TABLE fund_funds (
    id              text COLLATE "C" PRIMARY KEY,
    name            text NOT NULL,
    node_id         text NOT NULL,
    parent_id       text COLLATE "C" REFERENCES fund_funds (id),   -- NULL for a top fund
    period_start    timestamptz,
    period_start_ns smallint NOT NULL DEFAULT 0,
    period_end      timestamptz,
    period_end_ns   smallint NOT NULL DEFAULT 0,
    budget          numeric NOT NULL,
    account_id      text COLLATE "C" NOT NULL UNIQUE REFERENCES fund_accounts (id),
    version         bigint NOT NULL
);
CREATE INDEX fund_funds_parent ON fund_funds (parent_id, id);

-- A posting with its lines (parallel arrays, in line order). seq is gap-free and follows
-- commit order, like the escalation feed: it is taken from fund_ledger's single row, locked
-- until the posting commits.
CREATE TABLE fund_postings (
    seq             bigint PRIMARY KEY,
    id              text COLLATE "C" NOT NULL CONSTRAINT fund_postings_id_unique UNIQUE,
    idem_key        text COLLATE "C" CONSTRAINT fund_postings_key_unique UNIQUE,   -- NULL for none
    actor_id        text NOT NULL,
    actor_kind      smallint NOT NULL,
    reason          text NOT NULL,
    at              timestamptz NOT NULL,
    at_ns           smallint NOT NULL DEFAULT 0,
    reversal_of     text COLLATE "C" CONSTRAINT fund_postings_reversal_unique UNIQUE
                    REFERENCES fund_postings (id),   -- a posting is reversed once
    plan_id         text COLLATE "C",
    plan_line       integer NOT NULL,
    line_accounts   text[] COLLATE "C" NOT NULL,
    line_amounts    numeric[] NOT NULL,
    line_expires    timestamptz[] NOT NULL,   -- NULL elements for no expiry
    line_expires_ns smallint[] NOT NULL
);
CREATE INDEX fund_postings_plan ON fund_postings (plan_id, seq) WHERE plan_id IS NOT NULL;
CREATE INDEX fund_postings_at ON fund_postings (at, at_ns, seq);

-- The postings of each account (one row per account a posting touches), in seq order:
-- serves Postings by account.
CREATE TABLE fund_entries (
    account_id text COLLATE "C" NOT NULL REFERENCES fund_accounts (id),
    seq        bigint NOT NULL REFERENCES fund_postings (seq),
    PRIMARY KEY (account_id, seq)
);

CREATE TABLE fund_ledger (
    id       boolean PRIMARY KEY DEFAULT true CHECK (id),
    last_seq bigint NOT NULL
);
INSERT INTO fund_ledger (id, last_seq) VALUES (true, 0);
