package dev.cpr.restore.adapters.persistence;

import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.restore.app.DeferredIncidentStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** The app's synchronous {@link DeferredIncidentStore} over {@link DeferredIncidentRepository}; blocks a worker thread. */
@ApplicationScoped
public class PanacheDeferredIncidents implements DeferredIncidentStore {

    private final DeferredIncidentRepository repository;

    public PanacheDeferredIncidents(DeferredIncidentRepository repository) {
        this.repository = repository;
    }

    @Override
    public Optional<IncidentOpened> waiting(String clusterId) {
        return PanachePlanStore.await(() -> repository.waiting(clusterId));
    }

    @Override
    public List<IncidentOpened> all() {
        return PanachePlanStore.await(repository::all);
    }

    @Override
    public void forget(String clusterId, String incidentId) {
        PanachePlanStore.await(() -> repository.forgetNow(clusterId, incidentId));
    }
}
