-- governance: the organisation tree (组织架构) and its history, organisations, people and
-- positions, registrations of in-service members and units (双报到), service projects and
-- service records.
--
-- Conventions of every gridgov table:
--   * identifiers are text COLLATE "C", so ORDER BY sorts them byte-wise as Go does;
--   * a time is a timestamptz (microseconds) plus a smallint *_ns column holding the
--     nanoseconds below the microsecond, so Go times round-trip exactly; a zero time.Time
--     is NULL (with *_ns 0), except in the columns that queries filter or order by range,
--     which are NOT NULL and hold Go's zero time as 0001-01-01 00:00:00+00, so that ranges
--     treat it as the instant it is;
--   * an empty optional reference is NULL, not '';
--   * amounts are NUMERIC.

-- The tree is an adjacency list: parent_id links, walked by recursive queries through
-- gov_nodes_parent (descendants: O(subtree)) and the primary key (ancestors: O(depth)).
-- A move (区划调整) updates one row, whatever the size of the subtree it carries.
CREATE TABLE gov_nodes (
    id            text COLLATE "C" PRIMARY KEY,
    parent_id     text COLLATE "C" REFERENCES gov_nodes (id),
    level         text NOT NULL,
    name          text NOT NULL,
    labels        jsonb,          -- NULL for nil Labels
    retired       boolean NOT NULL DEFAULT false,
    retired_at    timestamptz,
    retired_at_ns smallint NOT NULL DEFAULT 0,
    version       bigint NOT NULL,
    created_at    timestamptz,
    created_at_ns smallint NOT NULL DEFAULT 0,
    updated_at    timestamptz,
    updated_at_ns smallint NOT NULL DEFAULT 0,
    CHECK (parent_id <> id)
);
CREATE INDEX gov_nodes_parent ON gov_nodes (parent_id, id);

-- Each node's append-only history (沿革), one row per version.
CREATE TABLE gov_node_changes (
    node_id    text COLLATE "C" NOT NULL REFERENCES gov_nodes (id),
    version    bigint NOT NULL,
    kind       text NOT NULL,
    actor      text NOT NULL,
    at         timestamptz,
    at_ns      smallint NOT NULL DEFAULT 0,
    from_value text NOT NULL,
    to_value   text NOT NULL,
    note       text NOT NULL,
    PRIMARY KEY (node_id, version)
);

CREATE TABLE gov_organisations (
    id              text COLLATE "C" PRIMARY KEY,
    node_id         text COLLATE "C" NOT NULL REFERENCES gov_nodes (id),
    kind            text NOT NULL,
    name            text NOT NULL,
    host_id         text COLLATE "C" REFERENCES gov_organisations (id),
    serves          text[] COLLATE "C",   -- as given (order kept); NULL for nil
    dissolved       boolean NOT NULL DEFAULT false,
    dissolved_at    timestamptz,
    dissolved_at_ns smallint NOT NULL DEFAULT 0,
    version         bigint NOT NULL,
    created_at      timestamptz,
    created_at_ns   smallint NOT NULL DEFAULT 0,
    updated_at      timestamptz,
    updated_at_ns   smallint NOT NULL DEFAULT 0
);
CREATE INDEX gov_organisations_node ON gov_organisations (node_id, id);
CREATE INDEX gov_organisations_host ON gov_organisations (host_id, id) WHERE host_id IS NOT NULL;

-- One row per node an organisation serves (its Serves, each node once).
CREATE TABLE gov_org_serves (
    node_id text COLLATE "C" NOT NULL REFERENCES gov_nodes (id),
    org_id  text COLLATE "C" NOT NULL REFERENCES gov_organisations (id),
    PRIMARY KEY (node_id, org_id)
);
CREATE INDEX gov_org_serves_org ON gov_org_serves (org_id);

-- People: name and phone are personal data (个人信息); grant access accordingly.
CREATE TABLE gov_people (
    id            text COLLATE "C" PRIMARY KEY,
    name          text NOT NULL,
    phone         text NOT NULL,
    party         text NOT NULL,
    home_node_id  text COLLATE "C" REFERENCES gov_nodes (id),
    version       bigint NOT NULL,
    created_at    timestamptz,
    created_at_ns smallint NOT NULL DEFAULT 0,
    updated_at    timestamptz,
    updated_at_ns smallint NOT NULL DEFAULT 0
);

CREATE TABLE gov_positions (
    id            text COLLATE "C" PRIMARY KEY,
    person_id     text COLLATE "C" NOT NULL REFERENCES gov_people (id),
    org_id        text COLLATE "C" NOT NULL REFERENCES gov_organisations (id),
    node_id       text COLLATE "C" NOT NULL,
    org_kind      text NOT NULL,
    role          text NOT NULL,
    since         timestamptz,
    since_ns      smallint NOT NULL DEFAULT 0,
    ended         boolean NOT NULL DEFAULT false,
    until         timestamptz,
    until_ns      smallint NOT NULL DEFAULT 0,
    version       bigint NOT NULL,
    created_at    timestamptz,
    created_at_ns smallint NOT NULL DEFAULT 0,
    updated_at    timestamptz,
    updated_at_ns smallint NOT NULL DEFAULT 0
);
CREATE INDEX gov_positions_person ON gov_positions (person_id, id);
CREATE INDEX gov_positions_org ON gov_positions (org_id, id);
CREATE INDEX gov_positions_open ON gov_positions (org_id) WHERE NOT ended;

CREATE TABLE gov_registrations (
    id               text COLLATE "C" PRIMARY KEY,
    community_id     text COLLATE "C" NOT NULL REFERENCES gov_nodes (id),
    person_id        text COLLATE "C" REFERENCES gov_people (id),
    org_id           text COLLATE "C" REFERENCES gov_organisations (id),
    registered_at    timestamptz,
    registered_at_ns smallint NOT NULL DEFAULT 0,
    version          bigint NOT NULL,
    CHECK ((person_id IS NULL) <> (org_id IS NULL))
);
CREATE INDEX gov_registrations_community ON gov_registrations (community_id, id);
-- A person, or a unit, registers at most once in a community.
CREATE UNIQUE INDEX gov_registrations_person ON gov_registrations (community_id, person_id) WHERE person_id IS NOT NULL;
CREATE UNIQUE INDEX gov_registrations_unit ON gov_registrations (community_id, org_id) WHERE org_id IS NOT NULL;

CREATE TABLE gov_projects (
    id            text COLLATE "C" PRIMARY KEY,
    community_id  text COLLATE "C" NOT NULL REFERENCES gov_nodes (id),
    title         text NOT NULL,
    claimed_by    text[] COLLATE "C",   -- registration IDs in claim order; NULL for nil
    created_at    timestamptz,
    created_at_ns smallint NOT NULL DEFAULT 0,
    version       bigint NOT NULL
);
CREATE INDEX gov_projects_community ON gov_projects (community_id, id);

CREATE TABLE gov_service_records (
    id              text COLLATE "C" PRIMARY KEY,
    project_id      text COLLATE "C" NOT NULL REFERENCES gov_projects (id),
    registration_id text COLLATE "C" NOT NULL REFERENCES gov_registrations (id),
    date            timestamptz NOT NULL,
    date_ns         smallint NOT NULL DEFAULT 0,
    hours           numeric NOT NULL,
    note            text NOT NULL,
    recorded_at     timestamptz,
    recorded_at_ns  smallint NOT NULL DEFAULT 0
);
CREATE INDEX gov_service_records_registration ON gov_service_records (registration_id, date, date_ns, id);
