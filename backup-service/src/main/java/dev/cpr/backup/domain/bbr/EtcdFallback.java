package dev.cpr.backup.domain.bbr;

import dev.cpr.contracts.inventory.ClusterSpec;

/**
 * When bbr cannot back up a deployment because one master is down (seed 001), an etcd v3 snapshot from a
 * healthy member is taken instead, through backup-service's ordinary snapshot path.
 */
public interface EtcdFallback {

    /**
     * A snapshot taken (or started) instead; {@code reference} is its catalog id or location; {@code member} the
     * member it streamed from, null when the snapshot job has not chosen one yet.
     */
    record Taken(String reference, String member, String detail) {
    }

    /** @throws RuntimeException when no member could be snapshotted either */
    Taken snapshot(ClusterSpec cluster, String why);
}
