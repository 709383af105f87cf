package dev.cpr.healthmonitor.app;

import dev.cpr.contracts.incident.MemberHealth;
import dev.cpr.healthmonitor.domain.OpenIncident;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;

/**
 * Where incidents are kept. Each write commits the incident's change together with its event (an outbox row), so an
 * incident is never stored without its event nor its event sent for an incident that was not stored. Call on a Vert.x
 * (duplicated) context.
 */
public interface IncidentRecords {

    Uni<List<OpenIncident>> loadOpen();

    /** Stores the incident as open with its {@code dev.cpr.incident.opened} event. */
    Uni<Void> open(OpenIncident incident, List<MemberHealth> members);

    /** Marks the incident resolved with its {@code dev.cpr.incident.resolved} event; fails if it is not stored. */
    Uni<Void> resolve(String incidentId, Instant at);
}
