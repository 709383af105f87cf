package dev.cpr.notifier.app;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * The {@code approval_audit} row every click and every {@code /cpr backup|recover} leaves, accepted or not, and the
 * reply Slack shows the user for that outcome.
 */
@ApplicationScoped
public class SlackAudit {

    static final String BUTTON = "BUTTON";
    static final String COMMAND = "COMMAND";

    private final ApprovalAuditLog log;
    private final Clock clock;

    SlackAudit(ApprovalAuditLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    Uni<SlackReply> audit(String source, String userId, String planId, String clusterId, String decision,
            String outcome, int status, String reason) {
        return Panache.withTransaction(() -> auditInTx(source, userId, planId, clusterId, decision, outcome, status,
                reason));
    }

    Uni<SlackReply> auditInTx(String source, String userId, String planId, String clusterId, String decision,
            String outcome, int status, String reason) {
        return auditInTx(source, userId, planId, clusterId, decision, outcome, status, reason, null, null);
    }

    Uni<SlackReply> auditInTx(String source, String userId, String planId, String clusterId, String decision,
            String outcome, int status, String reason, String approvalId, String planDigest) {
        return log.record(new ApprovalAttempt(clock.instant(), source, userId, planId, clusterId, decision, outcome,
                        status, reason, approvalId, planDigest))
                .replaceWith(SlackReply.of(status, status == 200 && reason == null ? null : message(outcome, reason)));
    }

    private static String message(String outcome, String reason) {
        return switch (outcome) {
            case "NOT_ALLOWED" -> "You are not allowed to do this: " + reason + ".";
            case "STALE", "BAD_SIGNATURE", "REPLAY" -> "Request refused (" + reason + ").";
            default -> reason;
        };
    }
}
