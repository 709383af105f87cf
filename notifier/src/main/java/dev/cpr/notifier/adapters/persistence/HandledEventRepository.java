package dev.cpr.notifier.adapters.persistence;

import dev.cpr.notifier.app.HandledEvents;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

@ApplicationScoped
public class HandledEventRepository implements PanacheRepositoryBase<HandledEventEntity, String>, HandledEvents {

    @Override
    public Uni<Boolean> isHandled(String eventId) {
        return findById(eventId).map(e -> e != null);
    }

    @Override
    public Uni<Void> markHandled(String eventId, String type, String incidentId, Instant at) {
        return persist(new HandledEventEntity(eventId, type, incidentId, at)).replaceWithVoid();
    }
}
