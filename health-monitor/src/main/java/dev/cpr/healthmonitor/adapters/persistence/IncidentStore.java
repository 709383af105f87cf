package dev.cpr.healthmonitor.adapters.persistence;

import dev.cpr.contracts.incident.MemberHealth;
import dev.cpr.healthmonitor.domain.OpenIncident;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** The incident writes, each in its own transaction. Call on a Vert.x (duplicated) context. */
@ApplicationScoped
public class IncidentStore {

    private final IncidentRepository repository;

    public IncidentStore(IncidentRepository repository) {
        this.repository = repository;
    }

    public Uni<List<OpenIncident>> loadOpen() {
        return Panache.withSession(() -> repository.open())
                .map(rows -> rows.stream().map(IncidentEntity::toOpenIncident).toList());
    }

    public Uni<IncidentEntity> open(OpenIncident incident, List<MemberHealth> members) {
        return Panache.withTransaction(() -> repository.persist(IncidentEntity.opened(incident, members)));
    }

    /** @return the resolved row; fails if the incident does not exist */
    public Uni<IncidentEntity> resolve(String id, Instant at) {
        return Panache.withTransaction(() -> repository.findById(id)
                .onItem().ifNull().failWith(() -> new IllegalStateException("incident " + id + " is not stored"))
                .invoke(entity -> entity.resolve(at)));
    }

    public Uni<Void> markOpenedPublished(String id, Instant at) {
        return Panache.withTransaction(() -> repository.findById(id)
                .invoke(entity -> entity.openedPublished(at))).replaceWithVoid();
    }

    public Uni<Void> markResolvedPublished(String id, Instant at) {
        return Panache.withTransaction(() -> repository.findById(id)
                .invoke(entity -> entity.resolvedPublished(at))).replaceWithVoid();
    }

    public Uni<List<IncidentEntity>> unpublished() {
        return Panache.withSession(() -> repository.unpublished());
    }
}
