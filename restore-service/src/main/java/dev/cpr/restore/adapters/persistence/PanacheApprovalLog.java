package dev.cpr.restore.adapters.persistence;

import static dev.cpr.restore.adapters.persistence.PanachePlanStore.await;

import dev.cpr.restore.app.ApprovalLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;

/** The app's synchronous {@link ApprovalLog} over the reactive repository (blocks a worker thread, never the loop). */
@ApplicationScoped
public class PanacheApprovalLog implements ApprovalLog {

    private final ApprovalAuditRepository repository;

    public PanacheApprovalLog(ApprovalAuditRepository repository) {
        this.repository = repository;
    }

    @Override
    public void append(Entry entry) {
        await(() -> repository.append(entry));
    }

    @Override
    public boolean firstUse(String approvalId, Instant now) {
        return await(() -> repository.firstUse(approvalId, now));
    }

    @Override
    public Optional<String> firstApprover(String planId, String digest) {
        return await(() -> repository.firstApprover(planId, digest));
    }

    @Override
    public boolean acceptedOverRest(String approvalId, String planId, String decision, String decidedBy) {
        return await(() -> repository.acceptedOverRest(approvalId, planId, decision, decidedBy));
    }
}
