-- The revision-exact change log (issue #14): one row per stored segment, and per cluster the last revision whose
-- change is durable (in a stored, cataloged segment). Both change in one transaction.
CREATE TABLE changelog_segments (
    cluster_id      TEXT        NOT NULL,
    first_revision  BIGINT      NOT NULL,
    last_revision   BIGINT      NOT NULL CHECK (last_revision >= first_revision),
    change_count    INTEGER     NOT NULL,
    sha256          TEXT        NOT NULL,
    location        TEXT        NOT NULL,
    size_bytes      BIGINT      NOT NULL,
    format_version  INTEGER     NOT NULL,
    opened_at       TIMESTAMPTZ NOT NULL,
    closed_at       TIMESTAMPTZ NOT NULL,
    last_change_at  TIMESTAMPTZ NOT NULL,
    -- two writers of the same revisions (two replicas) cannot both record them
    PRIMARY KEY (cluster_id, first_revision)
);

-- the time index: which segment holds the changes seen at a moment
CREATE INDEX changelog_segments_by_time ON changelog_segments (cluster_id, opened_at);

CREATE TABLE changelog_positions (
    cluster_id             TEXT        PRIMARY KEY,
    last_durable_revision  BIGINT      NOT NULL,
    updated_at             TIMESTAMPTZ NOT NULL
);
