package dev.cpr.healthmonitor.domain;

import dev.cpr.contracts.incident.MemberHealth;

/**
 * What one poll saw of one inventory member.
 *
 * @param healthy   {@code GET /health} answered {@code {"health":"true"}} in time
 * @param reason    why not healthy (connection refused, timeout, health=false ...); null when healthy
 * @param leader    the member's status says it is the raft leader
 * @param raftIndex from the member's status; null when the status call did not answer
 * @param revision  from the member's status; null when the status call did not answer
 */
public record MemberObservation(
        String name,
        String clientUrl,
        boolean healthy,
        String reason,
        boolean leader,
        Long raftIndex,
        Long revision) {

    public static MemberObservation healthy(String name, String clientUrl) {
        return new MemberObservation(name, clientUrl, true, null, false, null, null);
    }

    public static MemberObservation unhealthy(String name, String clientUrl, String reason) {
        return new MemberObservation(name, clientUrl, false, reason, false, null, null);
    }

    public MemberHealth toHealth() {
        return new MemberHealth(name, clientUrl, healthy, reason);
    }
}
