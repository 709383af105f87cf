package dev.cpr.console.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What approving a plan will throw away, said before the click: a restore brings the cluster back to its
 * snapshot, so everything written since the snapshot was taken is lost.
 */
public final class PlanLoss {

    private PlanLoss() {
    }

    /** One sentence for a plan that restores from a snapshot; empty for a plan that keeps the data (a member replace). */
    public static Optional<String> describe(Plan plan, Instant now) {
        Snapshot snapshot = plan.snapshot();
        if (snapshot == null || snapshot.createdAt() == null) {
            return Optional.empty();
        }
        Duration age = Duration.between(snapshot.createdAt(), now);
        return Optional.of(String.format("restores snapshot %s taken %s ago (revision %,d, %,d keys): "
                + "everything written to %s since then is lost", shortId(snapshot.id()), Ages.human(age),
                snapshot.revision(), snapshot.keyCount(), plan.clusterId()));
    }

    static String shortId(String id) {
        return id == null ? "?" : id.length() > 8 ? id.substring(0, 8) : id;
    }
}
