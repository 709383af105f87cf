package dev.cpr.restore.adapters.rest;

import dev.cpr.contracts.approval.Decision;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.platform.problem.Parameters;
import dev.cpr.platform.problem.ProblemException;
import dev.cpr.platform.security.Role;
import dev.cpr.restore.adapters.persistence.PlanRepository;
import dev.cpr.restore.app.ApprovalDesk;
import dev.cpr.restore.app.Recoveries;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * Recovery plans. Reads need the viewer role; triggering, approving, rejecting and cancelling need operator.
 * <ul>
 *   <li>{@code GET /api/v1/recoveries[?cluster=&limit=]}, {@code GET /api/v1/recoveries/{id}}</li>
 *   <li>{@code POST /api/v1/recoveries} {@code {cluster, plan, member?, snapshotId?, targetRevision?, targetTime?,
 *       dryRun?}}: 201 with the plan (a dry run: 200, nothing stored); {@code etcd-point-in-time-restore} needs
 *       exactly one of {@code targetRevision} and {@code targetTime} (ISO-8601), every other plan neither</li>
 *   <li>{@code POST /api/v1/recoveries/{id}/approve|reject} {@code {reason?, digest?}}: 200; 403 for a caller below
 *       operator; 409 unless AWAITING_APPROVAL, or when {@code digest} is not the plan's (it changed since it was
 *       read); every attempt is in {@code GET /api/v1/approvals}</li>
 *   <li>{@code POST /api/v1/recoveries/{id}/cancel}: 200 CANCELLED for a waiting plan; 202 for a RUNNING one
 *       (it stops before its next step)</li>
 * </ul>
 */
@Path("/api/v1/recoveries")
@Produces(MediaType.APPLICATION_JSON)
public class RecoveryResource {

    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;

    /** {@code POST /api/v1/recoveries}. */
    public record TriggerRequest(String cluster, String plan, String member, String snapshotId, Long targetRevision,
            String targetTime, Boolean dryRun) {
    }

    /**
     * Body of approve and reject (optional).
     *
     * @param digest the plan's {@code digest} as the caller read it: the decision is refused if the plan changed since
     */
    public record DecisionRequest(String reason, String digest) {
    }

    /** What approve, reject and cancel answer. */
    public record DecisionResponse(String planId, PlanState state, String detail, RecoveryView plan) {
    }

    private final PlanRepository repository;
    private final Recoveries recoveries;
    private final ApprovalDesk desk;
    private final SecurityIdentity identity;

    public RecoveryResource(PlanRepository repository, Recoveries recoveries, ApprovalDesk desk,
            SecurityIdentity identity) {
        this.repository = repository;
        this.recoveries = recoveries;
        this.desk = desk;
        this.identity = identity;
    }

    @GET
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "Recovery plans, newest first, with their steps")
    public Uni<List<RecoveryView>> list(
            @Parameter(description = "only plans of this cluster id") @QueryParam("cluster") String cluster,
            @Parameter(description = "at most this many (1-500, default 50)") @QueryParam("limit") String limit) {
        if (cluster != null && cluster.isBlank()) {
            throw ProblemException.badParameter("cluster", "cluster must not be blank");
        }
        int max = parseLimit(limit);
        return repository.list(Parameters.clusterId("cluster", cluster), max)
                .map(plans -> plans.stream().map(RecoveryView::of).toList());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "One recovery plan with its steps and their output")
    public Uni<RecoveryView> get(@PathParam("id") String id) {
        try {
            UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badParameter("id", "plan id '" + id + "' is not a UUID");
        }
        return repository.find(id).map(found -> found.map(RecoveryView::of)
                .orElseThrow(() -> ProblemException.notFound("no recovery plan " + id)));
    }

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.OPERATOR_NAME)
    @Operation(summary = "Trigger a recovery plan by hand (or show it with dryRun)")
    public Response trigger(TriggerRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("Missing body",
                    "a JSON body {\"cluster\", \"plan\", \"member\"?, \"snapshotId\"?, \"targetRevision\"?, "
                            + "\"targetTime\"?, \"dryRun\"?} is required");
        }
        Recoveries.Triggered triggered = recoveries.trigger(request.cluster(), request.plan(), request.member(),
                request.snapshotId(), request.targetRevision(), targetTime(request.targetTime()),
                Boolean.TRUE.equals(request.dryRun()), who());
        RecoveryView view = RecoveryView.of(triggered.plan(), !triggered.stored());
        if (!triggered.stored()) {
            return Response.ok(view).build();
        }
        return Response.created(URI.create("/api/v1/recoveries/" + view.id())).entity(view).build();
    }

    /** {@code targetTime}: absent or blank is none; anything but an ISO-8601 instant is a 400 naming it. */
    static Instant targetTime(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.badParameter("targetTime", "targetTime must be an ISO-8601 instant with an offset, "
                    + "such as 2026-12-03T07:15:00Z, was '" + (value.length() > 40 ? value.substring(0, 40) + "…"
                    : value) + "'");
        }
    }

    // a viewer reaches these, so that the refusal is audited; the desk answers 403 below operator
    @POST
    @Path("/{id}/approve")
    @Blocking
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "Approve a plan that is AWAITING_APPROVAL (operator; 409 otherwise, or if digest is not the plan's)")
    public DecisionResponse approve(@PathParam("id") String id, DecisionRequest body) {
        return decide(id, Decision.APPROVED, body);
    }

    @POST
    @Path("/{id}/reject")
    @Blocking
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "Reject a plan that is AWAITING_APPROVAL (operator; 409 otherwise, or if digest is not the plan's)")
    public DecisionResponse reject(@PathParam("id") String id, DecisionRequest body) {
        return decide(id, Decision.REJECTED, body);
    }

    private DecisionResponse decide(String id, Decision decision, DecisionRequest body) {
        String digest = body == null || body.digest() == null || body.digest().isBlank() ? null : body.digest().strip();
        return respond(desk.fromRest(id, decision, who(), identity.hasRole(Role.OPERATOR_NAME),
                body == null ? null : body.reason(), digest));
    }

    @POST
    @Path("/{id}/cancel")
    @Blocking
    @RolesAllowed(Role.OPERATOR_NAME)
    @Operation(summary = "Cancel a plan: a waiting one at once, a running one before its next step")
    public Response cancel(@PathParam("id") String id) {
        Recoveries.Decided decided = recoveries.cancel(id, who());
        return Response.status(decided.accepted() ? 200 : 202).entity(respond(decided)).build();
    }

    private static DecisionResponse respond(Recoveries.Decided decided) {
        return new DecisionResponse(decided.plan().id(), decided.state(), decided.detail(),
                RecoveryView.of(decided.plan(), false));
    }

    private String who() {
        return identity.getPrincipal().getName();
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
