package dev.cpr.healthmonitor.app;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.healthmonitor.domain.KvHashVerdict;
import java.util.Optional;

/**
 * The slow checks' port: every member's keyspace hash at one revision, and the cluster's backend quota. Blocking;
 * empty when the cluster could not be asked (the check is then skipped, not failed).
 */
public interface KvHashCheck {

    Optional<KvHashVerdict> hashes(ClusterSpec cluster);

    Optional<Long> quotaBytes(ClusterSpec cluster);
}
