package dev.cpr.healthmonitor.app;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.healthmonitor.domain.KvHashVerdict;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The slow checks' port: every member's keyspace hash at one revision, and the cluster's backend quota. Blocking;
 * empty when the cluster could not be asked (the check is then skipped, not failed).
 */
public interface KvHashCheck {

    Optional<KvHashVerdict> hashes(ClusterSpec cluster);

    Optional<Long> quotaBytes(ClusterSpec cluster);

    /** When each member's TLS certificate ends, for the members that answered a handshake; empty without TLS. */
    default Map<String, Instant> certificateEnds(ClusterSpec cluster) {
        return Map.of();
    }
}
