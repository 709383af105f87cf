package dev.cpr.notifier.adapters.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class ApprovalAuditRepository implements PanacheRepositoryBase<ApprovalAuditEntity, Long> {

    /** Newest first, optionally of one plan. */
    public Uni<List<ApprovalAuditEntity>> latest(String planId, int limit) {
        Sort sort = Sort.descending("at").and("id", Sort.Direction.Descending);
        var query = planId == null ? findAll(sort) : find("planId", sort, planId);
        return query.page(Page.ofSize(limit)).list();
    }
}
