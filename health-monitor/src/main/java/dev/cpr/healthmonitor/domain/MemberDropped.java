package dev.cpr.healthmonitor.domain;

import java.time.Instant;

/**
 * A member's long-lived connection ended, or stopped answering: the first sign of a crash or a hang, seen before any
 * poll could see it. Not proof on its own (a member restarted on purpose drops it too, a loaded machine may answer
 * late), so the monitor confirms it with one poll of the cluster.
 *
 * @param at         when the connection ended or went quiet: the incident's first sight, if the poll confirms it
 * @param reason     what the connection said as it ended, for the log
 * @param unanswered true: the connection is open but the member did not answer a progress request in time (a hung
 *                   process keeps its socket open); false: the connection ended (a crashed process closes it)
 */
public record MemberDropped(String clusterId, String member, Instant at, String reason, boolean unanswered) {

    /** The connection ended. */
    public MemberDropped(String clusterId, String member, Instant at, String reason) {
        this(clusterId, member, at, reason, false);
    }
}
