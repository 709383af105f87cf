package dev.cpr.healthmonitor.domain.bosh;

import dev.cpr.contracts.incident.FailureKind;
import java.util.List;

/**
 * One BOSH failure kind seen on a poll.
 *
 * @param instances the instances it concerns ({@code master/<uuid>}); empty for the director
 * @param summary   words for people, becomes the incident's summary
 */
public record BoshFinding(FailureKind failure, List<String> instances, String summary) {

    public BoshFinding {
        instances = List.copyOf(instances);
    }
}
