-- escalation: complaints (诉求), their histories and the event feed. Conventions as in
-- 0001_governance.sql.

-- A complaint is one row: the fields queries select on are columns, the intake fields that
-- never change after creation (path, reporter, submitted_at) are columns, and everything
-- else is the json document doc (field names as in escalation.Complaint, zero values left
-- out, times as RFC 3339 strings with nanoseconds), so that a field added to the Go type is
-- stored without a migration.
CREATE TABLE esc_complaints (
    id                text COLLATE "C" PRIMARY KEY,
    idem_key          text COLLATE "C",   -- the intake's idempotency key; NULL for none
    version           bigint NOT NULL,
    state             text NOT NULL,
    category          text NOT NULL,
    path              text[] COLLATE "C" NOT NULL,
    reporter_person   text NOT NULL,
    reporter_name     text NOT NULL,   -- personal data (个人信息)
    reporter_phone    text NOT NULL,   -- personal data (个人信息)
    submitted_at      timestamptz NOT NULL,
    submitted_at_ns   smallint NOT NULL DEFAULT 0,
    due_at            timestamptz,     -- NULL when nothing is due
    due_at_ns         smallint NOT NULL DEFAULT 0,
    doc               json NOT NULL
);

-- Idempotency keys are unique; the index holds only complaints created with one, so that
-- updates of the others do not maintain it.
CREATE UNIQUE INDEX esc_complaints_idem_key ON esc_complaints (idem_key) WHERE idem_key IS NOT NULL;

-- The deadline index of the sweep (ListDue): only complaints with something due, in
-- (DueAt, ID) order, so finding k due complaints reads k index entries however many are open.
CREATE INDEX esc_complaints_due ON esc_complaints (due_at, due_at_ns, id) WHERE due_at IS NOT NULL;

-- The subtree index (ListComplaints with Within): one row per node of each complaint's Path,
-- in complaint ID order, so a page of the complaints filed under a node reads that page's
-- entries. Paths never change after intake, so these rows are written once.
CREATE TABLE esc_complaint_nodes (
    node_id      text COLLATE "C" NOT NULL,
    complaint_id text COLLATE "C" NOT NULL,   -- written with its complaint, in one statement
    PRIMARY KEY (node_id, complaint_id)
);

-- The event feed and every complaint's history. seq is gap-free and follows commit order:
-- it is taken from esc_feed's single row, which the writing transaction locks (UPDATE) and
-- holds until it commits, so a transaction that takes seq n commits before any other can
-- take n+1, and one that rolls back gives its number back. (A sequence would leave gaps and
-- could commit n+1 before n, so a reader resuming after n+1 would miss n.)
CREATE TABLE esc_events (
    seq          bigint PRIMARY KEY,
    complaint_id text COLLATE "C" NOT NULL,   -- written with its complaint, in one statement
    version      bigint NOT NULL,
    kind         text NOT NULL,
    from_state   text NOT NULL,
    to_state     text NOT NULL,
    tier         integer NOT NULL,
    actor_id     text NOT NULL,
    actor_kind   smallint NOT NULL,
    at           timestamptz,
    at_ns        smallint NOT NULL DEFAULT 0,
    note         text NOT NULL,
    UNIQUE (complaint_id, version)   -- serves History
);

CREATE TABLE esc_feed (
    id       boolean PRIMARY KEY DEFAULT true CHECK (id),
    last_seq bigint NOT NULL
);
INSERT INTO esc_feed (id, last_seq) VALUES (true, 0);
