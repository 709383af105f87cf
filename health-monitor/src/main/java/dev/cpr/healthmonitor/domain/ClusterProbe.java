package dev.cpr.healthmonitor.domain;

import dev.cpr.contracts.inventory.ClusterSpec;
import java.util.concurrent.CompletionStage;

/**
 * Polls every member of one cluster. Implementations must complete within a bounded time even when
 * members hang or are gone (an unreachable member is an unhealthy observation, not a failure), and
 * poll the members concurrently.
 */
public interface ClusterProbe {

    CompletionStage<ClusterPoll> poll(ClusterSpec cluster);
}
