package dev.cpr.healthmonitor.domain;

import java.time.Instant;

/**
 * A member's long-lived connection ended: the first sign of a crash, seen before any poll could see it. Not proof on
 * its own (a member restarted on purpose drops it too), so the monitor confirms it with one poll of the cluster.
 *
 * @param at     when the connection ended: the incident's first sight, if the poll confirms it
 * @param reason what the connection said as it ended, for the log
 */
public record MemberDropped(String clusterId, String member, Instant at, String reason) {
}
