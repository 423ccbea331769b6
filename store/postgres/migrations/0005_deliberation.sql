-- deliberation: agenda items (议题), their histories and the disclosure log (信息公开记录).
-- Conventions as in 0001_governance.sql.

-- An item is one row: the fields queries select on are columns (state, complaint_id), the
-- fields that never change after creation are columns written once (node_id, path,
-- created_at), and everything else is the json document doc (field names as in
-- deliberation.Item, zero values left out, times as RFC 3339 strings with nanoseconds,
-- decimals as exact strings): participants, options, the vote roll and ballots, the tally,
-- notices with objections, the award, the cost split, progress and the audit. A field added
-- to the Go type is stored without a migration.
CREATE TABLE delib_items (
    id             text COLLATE "C" PRIMARY KEY,
    idem_key       text COLLATE "C",   -- the raise's idempotency key; NULL for none
    version        bigint NOT NULL,
    state          text NOT NULL,
    node_id        text COLLATE "C" NOT NULL,
    path           text[] COLLATE "C" NOT NULL,
    complaint_id   text COLLATE "C" NOT NULL,   -- '' when the item has no complaint
    created_at     timestamptz,                 -- NULL for the zero time
    created_at_ns  smallint NOT NULL DEFAULT 0,
    doc            json NOT NULL
);

-- Every write rewrites the document (a cast of one ballot rewrites an item of 2,000 ballots,
-- about 400 kB), so it is compressed with lz4 where the server has it (PostgreSQL 14 or
-- later built with lz4, as the usual packages are): the update costs about a third of what
-- it does with the default pglz. A server without lz4 keeps the default.
DO $$
BEGIN
    EXECUTE 'ALTER TABLE delib_items ALTER COLUMN doc SET COMPRESSION lz4';
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value OR syntax_error THEN
    NULL;
END $$;

-- Idempotency keys are unique; only items created with one are in the index.
CREATE UNIQUE INDEX delib_items_idem_key ON delib_items (idem_key) WHERE idem_key IS NOT NULL;

-- ListItems by state and by complaint, in ID order from the cursor. A write that changes
-- neither (a ballot, an objection, progress) leaves these indexes alone.
CREATE INDEX delib_items_state ON delib_items (state, id);
CREATE INDEX delib_items_complaint ON delib_items (complaint_id, id) WHERE complaint_id <> '';

-- The subtree index (ListItems and Disclosures with Within): one row per node of each
-- item's Path, in item ID order. Paths never change after creation, so these rows are
-- written once, with the item.
CREATE TABLE delib_item_nodes (
    node_id  text COLLATE "C" NOT NULL,
    item_id  text COLLATE "C" NOT NULL,   -- written with its item, in one statement
    PRIMARY KEY (node_id, item_id)
);

-- Every item's history: one event per accepted write, numbered by the item's version.
CREATE TABLE delib_events (
    item_id     text COLLATE "C" NOT NULL,   -- written with its item, in one statement
    version     bigint NOT NULL,
    kind        text NOT NULL,
    from_state  text NOT NULL,
    to_state    text NOT NULL,
    actor_id    text NOT NULL,
    actor_kind  smallint NOT NULL,
    at          timestamptz,                 -- NULL for the zero time
    at_ns       smallint NOT NULL DEFAULT 0,
    note        text NOT NULL,
    PRIMARY KEY (item_id, version)           -- serves History
);

-- The disclosure log: the disclosure an event carries, under the event's key (History
-- reads it back onto its event). date is a range column: the zero time is stored as the
-- instant it is (0001-01-01 00:00:00 UTC).
CREATE TABLE delib_disclosures (
    item_id           text COLLATE "C" NOT NULL,   -- written with its event, in one statement
    version           bigint NOT NULL,
    node_id           text COLLATE "C" NOT NULL,
    kind              text NOT NULL,
    subject           text NOT NULL,
    channel           text NOT NULL,
    date              timestamptz NOT NULL,
    date_ns           smallint NOT NULL DEFAULT 0,
    summary           text NOT NULL,
    requester         text NOT NULL,               -- personal data (个人信息)
    requested_at      timestamptz,                 -- NULL for the zero time
    requested_at_ns   smallint NOT NULL DEFAULT 0,
    recorded_by_id    text NOT NULL,
    recorded_by_kind  smallint NOT NULL,
    PRIMARY KEY (item_id, version)               -- serves Disclosures of one item
);

-- Disclosures in the contract's order (Date, ItemID, Version), walked from From.
CREATE INDEX delib_disclosures_date ON delib_disclosures (date, date_ns, item_id, version);
