package dev.cpr.restore.adapters.persistence;

import dev.cpr.restore.app.RehearsalStore;
import dev.cpr.restore.domain.rehearsal.Rehearsal;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The app's synchronous {@link RehearsalStore} over {@link RehearsalRepository}; blocks a worker thread. */
@ApplicationScoped
public class PanacheRehearsals implements RehearsalStore {

    private final RehearsalRepository repository;

    public PanacheRehearsals(RehearsalRepository repository) {
        this.repository = repository;
    }

    @Override
    public void record(Rehearsal rehearsal) {
        PanachePlanStore.await(() -> repository.insert(rehearsal));
    }

    @Override
    public boolean claim(String clusterId, String replicaId, Instant now, Instant until) {
        return PanachePlanStore.await(() -> repository.claim(clusterId, replicaId, now, until));
    }

    @Override
    public List<Rehearsal> list(Optional<String> clusterId, int limit) {
        return PanachePlanStore.await(() -> repository.list(clusterId, limit));
    }
}
