package dev.cpr.restore.adapters.persistence;

import dev.cpr.restore.app.ApprovalLog.Entry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The approval audit and the ledger of approval ids already used (schema {@code restore_service}). */
@ApplicationScoped
public class ApprovalAuditRepository {

    public Uni<Void> append(Entry row) {
        ApprovalAuditEntity entity = new ApprovalAuditEntity();
        entity.at = row.at();
        entity.channel = row.channel();
        entity.claimedChannel = row.claimedChannel();
        entity.approvalId = row.approvalId();
        entity.planId = row.planId();
        entity.clusterId = row.clusterId();
        entity.decision = row.decision();
        entity.decidedBy = row.decidedBy();
        entity.decidedAt = row.decidedAt();
        entity.planDigest = row.planDigest();
        entity.signed = row.signed();
        entity.outcome = row.outcome();
        entity.refusal = row.refusal();
        entity.reason = row.reason();
        return Panache.withTransaction(() -> entity.persist()).replaceWithVoid();
    }

    /**
     * Records an approval id as used: true the first time, false when it was used before (a replay). A concurrent
     * insert of the same id fails on the primary key, which the caller sees as an error, never as a first use.
     */
    public Uni<Boolean> firstUse(String approvalId, Instant now) {
        return Panache.withTransaction(() -> ApprovalSeenEntity.<ApprovalSeenEntity>findById(approvalId)
                .flatMap(seen -> {
                    if (seen != null) {
                        return Uni.createFrom().item(false);
                    }
                    ApprovalSeenEntity entity = new ApprovalSeenEntity();
                    entity.approvalId = approvalId;
                    entity.seenAt = now;
                    return entity.persist().replaceWith(true);
                }));
    }

    /** Who gave the first of two approvals of this plan at this digest, if anyone did. */
    public Uni<Optional<String>> firstApprover(String planId, String digest) {
        return Panache.withSession(() -> ApprovalAuditEntity.<ApprovalAuditEntity>find(
                        "planId = ?1 and planDigest = ?2 and outcome = 'FIRST_OF_TWO'", Sort.ascending("id"), planId, digest)
                .firstResult().map(row -> Optional.ofNullable(row).map(r -> r.decidedBy)));
    }

    /** Whether this service accepted a REST decision with this approval id (its own record read back from the bus). */
    public Uni<Boolean> acceptedOverRest(String approvalId, String planId, String decision, String decidedBy) {
        return Panache.withSession(() -> ApprovalAuditEntity.count("approvalId = ?1 and planId = ?2 and decision = ?3 "
                + "and decidedBy = ?4 and channel = 'REST' and outcome in ('ACCEPTED', 'FIRST_OF_TWO')", approvalId,
                planId, decision, decidedBy).map(n -> n > 0));
    }

    /** Newest first, optionally of one plan. */
    public Uni<List<Entry>> list(Optional<String> planId, int limit) {
        Sort newest = Sort.descending("id");
        return Panache.withSession(() -> (planId.isPresent()
                ? ApprovalAuditEntity.<ApprovalAuditEntity>find("planId", newest, planId.get())
                : ApprovalAuditEntity.<ApprovalAuditEntity>findAll(newest))
                .page(Page.ofSize(limit)).list()
                .map(rows -> rows.stream().map(ApprovalAuditRepository::row).toList()));
    }

    private static Entry row(ApprovalAuditEntity e) {
        return new Entry(e.id, e.at, e.channel, e.claimedChannel, e.approvalId, e.planId, e.clusterId, e.decision,
                e.decidedBy, e.decidedAt, e.planDigest, e.signed, e.outcome, e.refusal, e.reason);
    }
}
