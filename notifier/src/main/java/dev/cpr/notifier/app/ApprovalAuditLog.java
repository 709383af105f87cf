package dev.cpr.notifier.app;

import io.smallrye.mutiny.Uni;

/** Where approval attempts are kept ({@code approval_audit}). Call inside a transaction. */
public interface ApprovalAuditLog {

    Uni<Void> record(ApprovalAttempt attempt);
}
