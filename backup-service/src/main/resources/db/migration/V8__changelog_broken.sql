-- Parts of a change log a chain drill found not restorable (issue #14 item 3): a segment unreadable, altered or not
-- decodable, or revisions in no segment. The points in time and the segment listing a restore reads stop before the
-- first part a snapshot's replay would need. One row per break, keyed by its first revision, so every replica and
-- every later pass finds it marked already and opens no second incident.
CREATE TABLE changelog_broken (
    cluster_id     TEXT        NOT NULL,
    from_revision  BIGINT      NOT NULL,
    to_revision    BIGINT      NOT NULL CHECK (to_revision >= from_revision),
    reason         TEXT        NOT NULL,
    found_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (cluster_id, from_revision)
);
