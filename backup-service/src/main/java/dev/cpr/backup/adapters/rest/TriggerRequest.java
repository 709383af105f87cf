package dev.cpr.backup.adapters.rest;

/**
 * Body of {@code POST /api/v1/backups}.
 *
 * @param cluster     inventory id of the cluster to back up (required)
 * @param compression {@code none} or {@code gzip}; the configured default when absent (etcd snapshots only)
 * @param kind        {@code etcd-v3-snapshot} (default), {@code bbr-deployment} or {@code bbr-director} (the last two
 *                    for {@code kind: bosh} clusters only; a director backup also needs the cluster's
 *                    {@code bosh.director})
 */
public record TriggerRequest(String cluster, String compression, String kind) {
}
