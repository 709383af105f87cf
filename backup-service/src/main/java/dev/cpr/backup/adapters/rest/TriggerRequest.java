package dev.cpr.backup.adapters.rest;

/**
 * Body of {@code POST /api/v1/backups}.
 *
 * @param cluster     inventory id of the cluster to back up (required)
 * @param compression {@code none} or {@code gzip}; the configured default when absent
 */
public record TriggerRequest(String cluster, String compression) {
}
