package dev.cpr.restore.domain.planner;

import java.time.Instant;
import java.util.Set;

/** What the fleet guard reads from the plan store: which clusters are being recovered now. */
@FunctionalInterface
public interface FleetActivity {

    /** Clusters with an active plan (proposed, awaiting approval or running) created at or after {@code since}. */
    Set<String> clustersRecoveringSince(Instant since);
}
