package dev.cpr.healthmonitor.adapters.rest;

import java.time.Instant;
import java.util.List;

/**
 * A cluster as {@code /api/v1/clusters} shows it: the inventory, the last poll, the open incidents.
 * Poll fields are null before the first poll.
 *
 * @param status  {@code HEALTHY}, {@code MEMBER_UNHEALTHY}, {@code QUORUM_LOST} or {@code UNKNOWN} (not polled yet)
 */
public record ClusterView(
        String id,
        String kind,
        int quorum,
        String status,
        Integer healthyMembers,
        String leader,
        Instant polledAt,
        List<String> alarms,
        List<MemberView> members,
        List<IncidentView> openIncidents) {

    /** One member: its inventory URL and what the last poll saw. */
    public record MemberView(
            String name,
            String clientUrl,
            Boolean healthy,
            String reason,
            boolean leader,
            Long raftIndex,
            Long revision) {
    }
}
