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

    /**
     * Entries in {@code status} of one of {@code kinds} not touched since {@code cutoff}; all clusters when
     * {@code clusterId} is null.
     */
    Uni<List<BackupEntity>> stale(String status, java.time.Instant cutoff, String clusterId,
            java.util.Collection<String> kinds) {
        return clusterId == null
                ? list("status = ?1 and updatedAt < ?2 and kind in ?3", status, cutoff, kinds)
                : list("status = ?1 and updatedAt < ?2 and kind in ?3 and clusterId = ?4", status, cutoff, kinds,
                        clusterId);
    }

    /** Every argument may be null (no filter on it). */
    Uni<List<BackupEntity>> search(String clusterId, String status, String incidentId, String kind) {
        StringBuilder query = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (kind != null) {
            query.append(" and kind = :kind");
            params.and("kind", kind);
        }
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
