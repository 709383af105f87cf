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
 * @param hasLeader the member's status names a leader: it is in a working cluster, even when {@code /health} says
 *                  false because of an alarm (etcd answers false on every member while {@code NOSPACE} is raised)
 * @param dbSize    the member's database file size in bytes, from its status; null when unknown
 * @param dbSizeInUse the part of that file holding live data (the rest is free pages a defragmentation would give
 *                  back), from its status (etcd 3.4 and later); null when unknown
 */
public record MemberObservation(
        String name,
        String clientUrl,
        boolean healthy,
        String reason,
        boolean leader,
        Long raftIndex,
        Long revision,
        boolean hasLeader,
        Long dbSize,
        Long dbSizeInUse) {

    /** How a member whose process refused the connection is described; {@link #refused()} recognises it. */
    public static final String REFUSED = "connection refused";

    /** How a member that did not answer in time is described; {@link #silent()} recognises it. */
    public static final String NO_ANSWER = "no answer within ";

    /** Without space and leader details: a healthy member has a leader (etcd's /health says so). */
    public MemberObservation(String name, String clientUrl, boolean healthy, String reason, boolean leader,
            Long raftIndex, Long revision) {
        this(name, clientUrl, healthy, reason, leader, raftIndex, revision, healthy || leader, null, null);
    }

    public static MemberObservation healthy(String name, String clientUrl) {
        return new MemberObservation(name, clientUrl, true, null, false, null, null);
    }

    public static MemberObservation unhealthy(String name, String clientUrl, String reason) {
        return new MemberObservation(name, clientUrl, false, reason, false, null, null);
    }

    /** The same observation with the database size (file, and in use) from its status. */
    public MemberObservation withDbSize(Long bytes, Long bytesInUse) {
        return new MemberObservation(name, clientUrl, healthy, reason, leader, raftIndex, revision, hasLeader, bytes,
                bytesInUse);
    }

    /** The same observation, answering with an alarm: /health false, but its status names a leader. */
    public MemberObservation alarmedWithLeader(String why) {
        return new MemberObservation(name, clientUrl, false, why, leader, raftIndex, revision, true, dbSize,
                dbSizeInUse);
    }

    /** A member that did not answer within {@code timeout}: not refused, not unhealthy, just silent. */
    public static MemberObservation silent(String name, String clientUrl, java.time.Duration timeout) {
        return unhealthy(name, clientUrl, NO_ANSWER + timeout.toMillis() + " ms");
    }

    /**
     * Down only because it did not answer in time. A killed process refuses at once; a silent member may be hung or
     * cut off, or the monitor itself may be too slow to hear it (a machine starting four JVMs at once).
     */
    public boolean silent() {
        return !healthy && reason != null && reason.startsWith(NO_ANSWER);
    }

    /**
     * Down because nothing listens on its port: its process is dead (or not started). Unlike a timeout or an
     * unhealthy answer (etcd answers {@code /health} with 503 while it elects a leader), never a passing state of a
     * live member.
     */
    public boolean refused() {
        return !healthy && REFUSED.equals(reason);
    }

    public MemberHealth toHealth() {
        return new MemberHealth(name, clientUrl, healthy, reason);
    }
}
