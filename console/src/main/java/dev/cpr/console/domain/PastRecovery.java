package dev.cpr.console.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * One recovery as the history shows it. Each measure is null when it was not recorded.
 *
 * @param at        when the failure was detected (the plan's detection time, else when the plan was made)
 * @param detection from the incident's first failed poll to its opening (the debounce; the fault itself is up to
 *                  one poll interval earlier and no service knows when)
 * @param recovery  the plan's RTO as restore-service recorded it: detection to a healthy cluster
 * @param rpo       the age of the data the plan restored (a snapshot's age); zero for a plan that kept every key
 */
public record PastRecovery(String planId, String incidentId, String clusterId, String plan, String state, Instant at,
        Duration detection, Duration recovery, Duration rpo) {
}
