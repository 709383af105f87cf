package dev.cpr.healthmonitor.domain;

import dev.cpr.contracts.incident.FailureKind;
import java.util.List;
import java.util.Optional;

/**
 * The verdict on one poll of one cluster.
 *
 * @param failure       the worst failure seen, empty when every member is healthy
 * @param failedMembers the members that are not healthy, in inventory order
 */
public record Classification(
        String clusterId,
        Optional<FailureKind> failure,
        int healthyMembers,
        int votingMembers,
        int quorum,
        List<String> failedMembers,
        String summary) {

    public Classification {
        failedMembers = List.copyOf(failedMembers);
    }

    /**
     * Whether this poll shows {@code kind}. A lost quorum also shows unhealthy members: the members
     * are still down, so an open MEMBER_UNHEALTHY incident stays open while the quorum is lost.
     */
    public boolean shows(FailureKind kind) {
        return failure.map(seen -> seen == kind || seen == FailureKind.QUORUM_LOST).orElse(false);
    }
}
