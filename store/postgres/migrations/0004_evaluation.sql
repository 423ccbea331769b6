-- evaluation: the yearly cycles of "one report, two evaluations" (一述双评) and their
-- histories. Conventions as in 0001_governance.sql.

-- A cycle is one row: the fields ListCycles and FindCycle select on are columns (year,
-- compound, community, committee, state, firms), and everything else (the bodies' IDs,
-- ReportDue, the report, the scorecards, the publication, the firm evaluations, the
-- timestamps) is the json document doc (field names as in evaluation.Cycle, zero values
-- left out, times as RFC 3339 strings with nanoseconds, decimals as exact strings), so
-- that a field added to the Go type is stored without a migration. Year and compound never
-- change after creation. year is bigint because a Go int is.
CREATE TABLE eval_cycles (
    id           text COLLATE "C" PRIMARY KEY,
    version      bigint NOT NULL,
    year         bigint NOT NULL,
    compound_id  text COLLATE "C" NOT NULL,
    community_id text COLLATE "C" NOT NULL,
    committee_id text COLLATE "C" NOT NULL,
    state        text NOT NULL,
    firm_ids     text[] COLLATE "C" NOT NULL,   -- FirmIDs, in their order
    doc          json NOT NULL,
    -- One cycle per compound and year: concurrent creates are settled here (the loser's
    -- INSERT … ON CONFLICT DO NOTHING inserts nothing). The index is also ListCycles' order
    -- (Year, CompoundID): a year's cycles and every cursor page are one range of it.
    CONSTRAINT eval_cycles_year_compound UNIQUE (year, compound_id)
);

-- ListCycles by compound, community or committee: each index holds the filtered column
-- first and then the list order, so a page is one range read from the cursor, with no sort
-- (with CompoundID the order is the year alone). eval_cycles_compound also serves FindCycle
-- and the firm index's look-ups, as well as the unique index would. States has no index
-- (five values): it filters the rows of whichever index the other filters choose.
CREATE INDEX eval_cycles_compound ON eval_cycles (compound_id, year);
CREATE INDEX eval_cycles_community ON eval_cycles (community_id, year, compound_id);
CREATE INDEX eval_cycles_committee ON eval_cycles (committee_id, year, compound_id);

-- ListCycles by firm: a side table with one row per firm serving a cycle's compound (a
-- cycle has several firms), keyed (firm_id, year, compound_id), so that a firm's cycles
-- are one range of its primary key, already in the list order, and a page starts at the
-- cursor and reads what it returns; each row fetches its cycle by (year, compound_id), one
-- index look-up. A GIN index on firm_ids (the other way to index an array) cannot do
-- that: it knows neither the order nor the cursor, so every page would read all of the
-- firm's cycles (a bitmap scan), then filter and sort them. The rows are written by the
-- statement that writes the cycle: every firm when it is created; when it is updated, only
-- the firms added or removed (usually none). firm_ids on the cycle stays the source (the
-- order and repeats of FirmIDs), the side table its index.
CREATE TABLE eval_cycle_firms (
    firm_id     text COLLATE "C" NOT NULL,
    year        bigint NOT NULL,
    compound_id text COLLATE "C" NOT NULL,
    PRIMARY KEY (firm_id, year, compound_id)
);

-- Every cycle's history: one row per accepted step, version 1 for opening. The primary
-- key serves History and makes two events for one version impossible.
CREATE TABLE eval_events (
    cycle_id   text COLLATE "C" NOT NULL,   -- written with its cycle, in one statement
    version    bigint NOT NULL,
    step       text NOT NULL,
    from_state text NOT NULL,
    to_state   text NOT NULL,
    actor      text NOT NULL,
    at         timestamptz,                 -- NULL for the zero time
    at_ns      smallint NOT NULL DEFAULT 0,
    subject    text NOT NULL,
    note       text NOT NULL,
    PRIMARY KEY (cycle_id, version)
);
