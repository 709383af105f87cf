package dev.cpr.notifier.adapters.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class HandledEventRepository implements PanacheRepositoryBase<HandledEventEntity, String> {

    public Uni<Boolean> isHandled(String eventId) {
        return findById(eventId).map(e -> e != null);
    }
}
