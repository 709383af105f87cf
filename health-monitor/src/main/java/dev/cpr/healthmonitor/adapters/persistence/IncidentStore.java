package dev.cpr.healthmonitor.adapters.persistence;

import dev.cpr.contracts.incident.MemberHealth;
import dev.cpr.healthmonitor.app.IncidentRecords;
import dev.cpr.healthmonitor.domain.OpenIncident;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** The incident writes, each in its own transaction together with its outbox row. */
@ApplicationScoped
public class IncidentStore implements IncidentRecords {

    private final IncidentRepository repository;
    private final IncidentOutbox outbox;

    public IncidentStore(IncidentRepository repository, IncidentOutbox outbox) {
        this.repository = repository;
        this.outbox = outbox;
    }

    @Override
    public Uni<List<OpenIncident>> loadOpen() {
        return Panache.withSession(() -> repository.open())
                .map(rows -> rows.stream().map(IncidentEntity::toOpenIncident).toList());
    }

    @Override
    public Uni<Void> open(OpenIncident incident, List<MemberHealth> members) {
        return Panache.withTransaction(() -> repository.persist(IncidentEntity.opened(incident, members))
                .chain(row -> Panache.getSession().chain(session -> outbox.opened(session, row))));
    }

    @Override
    public Uni<Void> resolve(String id, Instant at) {
        return Panache.withTransaction(() -> repository.findById(id)
                .onItem().ifNull().failWith(() -> new IllegalStateException("incident " + id + " is not stored"))
                .invoke(entity -> entity.resolve(at))
                .chain(row -> Panache.getSession().chain(session -> outbox.resolved(session, row))));
    }
}
