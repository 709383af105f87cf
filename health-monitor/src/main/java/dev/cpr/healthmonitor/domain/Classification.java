package dev.cpr.healthmonitor.domain;

import dev.cpr.contracts.incident.FailureKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The verdict on one poll of one cluster.
 *
 * @param failure       the worst failure seen, empty when nothing is wrong
 * @param failedMembers the members that are down (not answering), in inventory order
 * @param findings      every failure this poll shows, each with the members it is about (empty: the whole cluster)
 * @param unjudged      kinds this poll cannot tell (alarms and the space while the quorum is lost): neither opened nor
 *                      resolved
 * @param silent        the quorum is lost and every member counted down only failed to answer in time: the monitor
 *                      cannot yet tell a dead cluster from its own stall or isolation
 * @param quorumLostByRefusals the quorum is lost even counting as up every member that answered at all or timed out:
 *                      the members that refused (dead processes) are enough. A leader election, on a loaded machine
 *                      above all, has the others time out or answer 503 for a second or two; it never makes them
 *                      refuse.
 */
public record Classification(
        String clusterId,
        Optional<FailureKind> failure,
        int healthyMembers,
        int votingMembers,
        int quorum,
        List<String> failedMembers,
        String summary,
        Map<FailureKind, List<String>> findings,
        Set<FailureKind> unjudged,
        boolean silent,
        boolean quorumLostByRefusals) {

    public Classification {
        failedMembers = List.copyOf(failedMembers);
        findings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(findings));
        unjudged = Set.copyOf(unjudged);
    }

    /** A verdict on member health alone (no alarms, no space, no hashes). */
    public Classification(String clusterId, Optional<FailureKind> failure, int healthyMembers, int votingMembers,
            int quorum, List<String> failedMembers, String summary) {
        this(clusterId, failure, healthyMembers, votingMembers, quorum, failedMembers, summary,
                failure.map(kind -> kind == FailureKind.QUORUM_LOST
                        ? Map.of(FailureKind.QUORUM_LOST, failedMembers, FailureKind.MEMBER_UNHEALTHY, failedMembers)
                        : Map.of(kind, failedMembers)).orElse(Map.of()), Set.of(), false,
                failure.filter(kind -> kind == FailureKind.QUORUM_LOST).isPresent());
    }

    /**
     * Whether this poll shows {@code kind}. A lost quorum also shows unhealthy members: the members
     * are still down, so an open MEMBER_UNHEALTHY incident stays open while the quorum is lost.
     */
    public boolean shows(FailureKind kind) {
        return findings.containsKey(kind);
    }

    /** Whether this poll can tell {@code kind} at all. */
    public boolean judges(FailureKind kind) {
        return !unjudged.contains(kind);
    }

    /** The members an incident of {@code kind} names. */
    public List<String> membersFor(FailureKind kind) {
        return findings.getOrDefault(kind, failedMembers);
    }
}
