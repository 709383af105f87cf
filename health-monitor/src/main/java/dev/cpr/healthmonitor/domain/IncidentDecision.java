package dev.cpr.healthmonitor.domain;

import dev.cpr.contracts.incident.MemberHealth;
import java.time.Instant;
import java.util.List;

/** What {@link IncidentTracker} wants done; it takes effect when the caller reports it applied. */
public sealed interface IncidentDecision {

    OpenIncident incident();

    /** Open {@code incident}; {@code members} is every member's health as the confirming poll saw it. */
    record Open(OpenIncident incident, List<MemberHealth> members) implements IncidentDecision {
        public Open {
            members = List.copyOf(members);
        }
    }

    /** Resolve the open {@code incident}: its failure was absent on enough consecutive polls. */
    record Resolve(OpenIncident incident, Instant resolvedAt) implements IncidentDecision {
    }
}
