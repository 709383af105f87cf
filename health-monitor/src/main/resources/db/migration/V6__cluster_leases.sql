-- issue #15: health-monitor replicas share the clusters. A cluster is watched by the replica holding its unexpired
-- lease; a replica renews its leases every few seconds, so one killed with kill -9 loses them a lease duration later.
-- The primary key is what keeps a cluster to one owner: a claim is one conditional upsert on expires_at.
CREATE TABLE cluster_lease (
    cluster_id VARCHAR(64)  PRIMARY KEY,
    owner      VARCHAR(200) NOT NULL,
    expires_at TIMESTAMPTZ  NOT NULL
);

-- Each replica's own row, renewed with its leases: the live replicas the clusters are shared between.
CREATE TABLE replica_heartbeat (
    replica_id VARCHAR(200) PRIMARY KEY,
    expires_at TIMESTAMPTZ  NOT NULL
);
