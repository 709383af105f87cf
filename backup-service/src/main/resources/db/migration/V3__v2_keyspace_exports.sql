-- the etcd v2 keyspace exported beside a v3 snapshot (clusters with backup.v2-data: true; seed 002)
ALTER TABLE backups ADD COLUMN v2_location   TEXT;
ALTER TABLE backups ADD COLUMN v2_size_bytes BIGINT;
ALTER TABLE backups ADD COLUMN v2_sha256     TEXT;
ALTER TABLE backups ADD COLUMN v2_key_count  BIGINT;
ALTER TABLE backups ADD COLUMN v2_etcd_index BIGINT;
