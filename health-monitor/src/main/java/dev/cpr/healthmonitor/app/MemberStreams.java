package dev.cpr.healthmonitor.app;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.healthmonitor.domain.MemberDropped;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One long-lived connection to every member of the clusters this replica watches. A crashed member's connection
 * ends at once, seconds before the next poll would find it silent: that drop is the signal, and no extra polling is
 * needed to get it.
 */
public interface MemberStreams {

    /**
     * Follows exactly these clusters from now on: opens connections to the members of clusters not followed yet,
     * closes those of clusters no longer listed. A connection that drops is reported once to {@code onDrop}, then
     * opened again quietly until the member answers.
     */
    void follow(List<ClusterSpec> clusters, Consumer<MemberDropped> onDrop);

    /**
     * Whether the member's stream is open now (etcd answered it), that is whether its crash would be signalled at once;
     * empty when this replica follows no stream to it (streams off, or the cluster held by another replica).
     */
    Optional<Boolean> open(String clusterId, String member);
}
