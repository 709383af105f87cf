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
