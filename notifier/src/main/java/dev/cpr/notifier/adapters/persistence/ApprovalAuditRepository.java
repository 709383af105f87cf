package dev.cpr.notifier.adapters.persistence;

import dev.cpr.notifier.app.ApprovalAttempt;
import dev.cpr.notifier.app.ApprovalAuditLog;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class ApprovalAuditRepository implements PanacheRepositoryBase<ApprovalAuditEntity, Long>, ApprovalAuditLog {

    @Override
    public Uni<Void> record(ApprovalAttempt a) {
        return persist(ApprovalAuditEntity.of(a.at(), a.source(), a.slackUserId(), a.planId(), a.clusterId(),
                a.decision(), a.outcome(), a.status(), a.reason()).published(a.approvalId(), a.planDigest()))
                .replaceWithVoid();
    }

    /** Newest first, optionally of one plan. */
    public Uni<List<ApprovalAuditEntity>> latest(String planId, int limit) {
        Sort sort = Sort.descending("at").and("id", Sort.Direction.Descending);
        var query = planId == null ? findAll(sort) : find("planId", sort, planId);
        return query.page(Page.ofSize(limit)).list();
    }
}
