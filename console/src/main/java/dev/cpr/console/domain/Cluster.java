package dev.cpr.console.domain;

import java.time.Instant;
import java.util.List;

/**
 * A cluster as health-monitor's {@code /api/v1/clusters} shows it.
 *
 * @param status     {@code HEALTHY}, {@code MEMBER_UNHEALTHY}, {@code QUORUM_LOST}, ... or {@code UNKNOWN} (not polled yet)
 * @param quotaBytes the cluster's {@code --quota-backend-bytes} as health-monitor's space check uses it; null when unknown
 */
public record Cluster(String id, String kind, int quorum, String status, Integer healthyMembers, String leader,
        Instant polledAt, List<String> alarms, Long quotaBytes, List<Member> members, List<Incident> openIncidents) {

    public List<Member> members() {
        return members == null ? List.of() : members;
    }

    public List<Incident> openIncidents() {
        return openIncidents == null ? List.of() : openIncidents;
    }

    /** The highest revision any member reported on the last poll, or null. */
    public Long revision() {
        return members().stream().map(Member::revision).filter(r -> r != null).max(Long::compare).orElse(null);
    }
}
