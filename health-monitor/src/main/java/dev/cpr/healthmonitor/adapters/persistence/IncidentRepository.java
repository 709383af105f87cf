package dev.cpr.healthmonitor.adapters.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Queries of the incident table. Callers open the session or transaction. */
@ApplicationScoped
public class IncidentRepository implements PanacheRepositoryBase<IncidentEntity, String> {

    public Uni<List<IncidentEntity>> open() {
        return list("state", Sort.by("detectedAt").descending(), IncidentState.OPEN);
    }

    /** Newest first; either filter may be empty. */
    public Uni<List<IncidentEntity>> search(Optional<String> clusterId, Optional<IncidentState> state) {
        Sort newestFirst = Sort.by("detectedAt").descending().and("id");
        if (clusterId.isPresent() && state.isPresent()) {
            return list("clusterId = :cluster and state = :state", newestFirst,
                    Parameters.with("cluster", clusterId.get()).and("state", state.get()));
        }
        if (clusterId.isPresent()) {
            return list("clusterId", newestFirst, clusterId.get());
        }
        if (state.isPresent()) {
            return list("state", newestFirst, state.get());
        }
        return findAll(newestFirst).list();
    }
}
