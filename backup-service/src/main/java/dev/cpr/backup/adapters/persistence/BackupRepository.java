package dev.cpr.backup.adapters.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class BackupRepository implements PanacheRepositoryBase<BackupEntity, UUID> {

    /** In-progress entries not touched since {@code cutoff}; all clusters when {@code clusterId} is null. */
    Uni<List<BackupEntity>> stale(String status, java.time.Instant cutoff, String clusterId) {
        return clusterId == null
                ? list("status = ?1 and updatedAt < ?2", status, cutoff)
                : list("status = ?1 and updatedAt < ?2 and clusterId = ?3", status, cutoff, clusterId);
    }

    Uni<List<BackupEntity>> search(String clusterId, String status, String incidentId) {
        StringBuilder query = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (clusterId != null) {
            query.append(" and clusterId = :cluster");
            params.and("cluster", clusterId);
        }
        if (incidentId != null) {
            query.append(" and incidentId = :incident");
            params.and("incident", incidentId);
        }
        if (status != null) {
            query.append(" and status = :status");
            params.and("status", status);
        }
        return find(query.toString(), Sort.descending("createdAt"), params).list();
    }
}
