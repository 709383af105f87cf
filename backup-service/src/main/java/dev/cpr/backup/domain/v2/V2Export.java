package dev.cpr.backup.domain.v2;

/**
 * The etcd v2 keyspace of a cluster, exported beside one v3 snapshot (seed 002: flannel keeps its config in v2).
 *
 * @param location  where the store keeps the JSON file (the v2 API's {@code GET /v2/keys/?recursive=true} answer)
 * @param sha256    hex sha256 of the stored file
 * @param keyCount  leaf keys (not directories) in it
 * @param etcdIndex the v2 store's {@code X-Etcd-Index} when it was read
 */
public record V2Export(String location, long sizeBytes, String sha256, long keyCount, Long etcdIndex) {
}
