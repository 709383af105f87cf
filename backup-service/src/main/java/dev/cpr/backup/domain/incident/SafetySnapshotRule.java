package dev.cpr.backup.domain.incident;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether an opened incident calls for a safety snapshot right now: only while quorum holds
 * ({@link FailureKind#MEMBER_UNHEALTHY}: a healthy member can still stream one, and a member replacement is
 * about to change the cluster), and only for a fresh incident (an old event replayed after a restart is no
 * reason to snapshot today).
 */
public final class SafetySnapshotRule {

    private final Duration maxAge;

    public SafetySnapshotRule(Duration maxAge) {
        this.maxAge = maxAge;
    }

    public Decision decide(IncidentOpened incident, Instant now) {
        if (incident.failure() == FailureKind.QUORUM_LOST) {
            return new Decision(false, "quorum is lost (" + incident.failure() + "): no member can give a consistent snapshot");
        }
        if (incident.failure() != FailureKind.MEMBER_UNHEALTHY) {
            return new Decision(false, "a " + incident.failure().label() + " incident does not call for one");
        }
        Duration age = Duration.between(incident.detectedAt(), now);
        if (age.compareTo(maxAge) > 0) {
            return new Decision(false, "detected " + age.toSeconds() + " s ago, older than " + maxAge.toSeconds() + " s");
        }
        return new Decision(true, "quorum holds; " + incident.failedMembers() + " down");
    }

    public record Decision(boolean snapshot, String reason) {
    }
}
