package dev.cpr.restore.adapters.rest;

import dev.cpr.platform.problem.ProblemException;
import dev.cpr.platform.security.Role;
import dev.cpr.restore.adapters.persistence.ApprovalAuditRepository;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * {@code GET /api/v1/approvals[?plan=&limit=]} (viewer): every approval attempt on every channel, accepted or refused,
 * newest first: who, what (plan, decision, digest), when, the channel and why it was refused.
 */
@Path("/api/v1/approvals")
@Produces(MediaType.APPLICATION_JSON)
public class ApprovalAuditResource {

    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final ApprovalAuditRepository audit;

    public ApprovalAuditResource(ApprovalAuditRepository audit) {
        this.audit = audit;
    }

    @GET
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "The approval audit: every attempt to approve or reject a plan, newest first")
    public Uni<List<dev.cpr.restore.app.ApprovalLog.Entry>> list(
            @Parameter(description = "only attempts about this plan id") @QueryParam("plan") String plan,
            @Parameter(description = "at most this many (1-1000, default 100)") @QueryParam("limit") String limit) {
        if (plan != null) {
            try {
                UUID.fromString(plan);
            } catch (IllegalArgumentException e) {
                throw ProblemException.badParameter("plan", "plan id '" + plan + "' is not a UUID");
            }
        }
        return audit.list(Optional.ofNullable(plan), parseLimit(limit));
    }

    private static int parseLimit(String limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProblemException.badParameter("limit", "limit must be a number from 1 to " + MAX_LIMIT + ", was '"
                + limit + "'");
    }
}
