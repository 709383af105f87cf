package dev.cpr.notifier.adapters.rest;

import dev.cpr.notifier.adapters.persistence.ApprovalAuditEntity;
import dev.cpr.notifier.adapters.persistence.ApprovalAuditRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import dev.cpr.platform.security.Role;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

@Path("/api/v1/approvals/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.VIEWER_NAME)
public class ApprovalAuditResource {

    /** One approval attempt from Slack as listed. */
    public record AuditView(long id, Instant at, String source, String slackUserId, String planId, String clusterId,
            String decision, String outcome, int status, String reason) {
        static AuditView of(ApprovalAuditEntity e) {
            return new AuditView(e.id(), e.at(), e.source(), e.slackUserId(), e.planId(), e.clusterId(), e.decision(),
                    e.outcome(), e.status(), e.reason());
        }
    }

    private final ApprovalAuditRepository audit;

    ApprovalAuditResource(ApprovalAuditRepository audit) {
        this.audit = audit;
    }

    @GET
    @WithSession
    @Operation(summary = "Every approval attempt from Slack (clicks, /cpr backup|recover), accepted or not, newest first")
    public Uni<List<AuditView>> list(
            @Parameter(description = "only this plan's attempts") @QueryParam("planId") String planId,
            @Parameter(description = "1 to 500, default 100") @QueryParam("limit") String limit) {
        int size = NotificationResource.parseLimit(limit);
        return audit.latest(planId == null || planId.isBlank() ? null : planId, size)
                .map(list -> list.stream().map(AuditView::of).toList());
    }
}
