package dev.cpr.console.adapters.rest;

import dev.cpr.console.adapters.security.CallerToken;
import dev.cpr.console.app.Console;
import dev.cpr.console.app.PlanAction;
import dev.cpr.console.app.Upstream;
import dev.cpr.console.domain.Backup;
import dev.cpr.console.domain.Incident;
import dev.cpr.console.domain.Overview;
import dev.cpr.console.domain.Plan;
import dev.cpr.platform.problem.Problem;
import dev.cpr.platform.problem.ProblemException;
import dev.cpr.platform.security.Role;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The one API of the {@code cpr} CLI. Reads need viewer, actions operator, checked here and again by the owning
 * service, which gets the caller's own token (so its audit names the caller). A refusal by that service comes back
 * as it gave it; a service that does not answer is a 503 naming it.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.VIEWER_NAME)
@Blocking
public class ConsoleResource {

    private final Console console;

    @Context
    HttpHeaders headers;

    public ConsoleResource(Console console) {
        this.console = console;
    }

    @GET
    @Path("/status")
    @Operation(summary = "Every service's reachability and every cluster: members, leader, revision, open incidents, "
            + "newest verified backup against the RPO, active plans")
    public Overview status() {
        return console.overview(token());
    }

    @GET
    @Path("/incidents")
    @Operation(summary = "Incidents, newest first (health-monitor's)")
    public List<Incident> incidents(@QueryParam("cluster") String cluster,
            @Parameter(description = "true: only open ones") @QueryParam("open") boolean open) {
        return console.incidents(token(), cluster, open);
    }

    @GET
    @Path("/incidents/{id}")
    @Operation(summary = "One incident with the plans it got and its timeline")
    public Console.IncidentDetail incident(@PathParam("id") String id) {
        return console.incident(token(), id);
    }

    @GET
    @Path("/plans")
    @Operation(summary = "Recovery plans, newest first, with their steps (restore-service's)")
    public List<Plan> plans(@QueryParam("cluster") String cluster, @QueryParam("limit") Integer limit) {
        return console.plans(token(), cluster, limit);
    }

    @GET
    @Path("/plans/{id}")
    @Operation(summary = "One plan with its steps and their output")
    public Plan plan(@PathParam("id") String id) {
        return console.plan(token(), id);
    }

    @POST
    @Path("/plans")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.OPERATOR_NAME)
    @Operation(summary = "Trigger a recovery plan (or only show it with dryRun): restore-service's POST /recoveries")
    public Response recover(Console.RecoverRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("Missing body", "a JSON body {\"cluster\", \"plan\", \"member\"?, "
                    + "\"snapshotId\"?, \"targetRevision\"?, \"targetTime\"?, \"dryRun\"?} is required");
        }
        return relay(console.recover(token(), request));
    }

    @POST
    @Path("/plans/{id}/{action}")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Role.OPERATOR_NAME)
    @Operation(summary = "approve, reject or cancel a plan, by restore-service with the caller's token; body "
            + "{\"reason\"} optional")
    public Response decide(@PathParam("id") String id, @PathParam("action") String action, String json) {
        DecisionBody body = decisionBody(json);
        PlanAction parsed;
        try {
            parsed = PlanAction.parse(action);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badParameter("action", e.getMessage());
        }
        return relay(console.decide(token(), id, parsed, body == null ? null : body.reason()));
    }

    @GET
    @Path("/backups")
    @Operation(summary = "Backups, newest first (backup-service's catalog)")
    public List<Backup> backups(@QueryParam("cluster") String cluster) {
        return console.backups(token(), cluster);
    }

    @GET
    @Path("/backups/{id}")
    public Backup backup(@PathParam("id") String id) {
        return console.backup(token(), id);
    }

    @POST
    @Path("/backups")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.OPERATOR_NAME)
    @Operation(summary = "Start a backup of a cluster: 202 with the in-progress entry")
    public Response saveBackup(Console.BackupRequest request) {
        if (request == null || request.cluster() == null || request.cluster().isBlank()) {
            throw ProblemException.badParameter("cluster", "a JSON body {\"cluster\": \"<id>\"} is required");
        }
        return relay(console.saveBackup(token(), request));
    }

    @POST
    @Path("/backups/{id}/verify")
    @RolesAllowed(Role.OPERATOR_NAME)
    @Operation(summary = "Run a restore drill of a backup now")
    public Response verifyBackup(@PathParam("id") String id) {
        return relay(console.verifyBackup(token(), id));
    }

    @GET
    @Path("/backups/{id}/download")
    @Produces({MediaType.APPLICATION_OCTET_STREAM, Problem.MEDIA_TYPE})
    @Operation(summary = "Download a verified etcd snapshot, streamed from backup-service")
    public Response download(@PathParam("id") String id) {
        Upstream.Download download = console.downloadBackup(token(), id);
        StreamingOutput body = out -> {
            try (var in = download.body()) {
                in.transferTo(out);
            }
        };
        Response.ResponseBuilder response = Response.ok(body, MediaType.APPLICATION_OCTET_STREAM);
        if (download.contentDisposition() != null) {
            response.header("Content-Disposition", download.contentDisposition());
        }
        if (download.length() != null) {
            response.header("Content-Length", download.length());
        }
        if (download.sha256() != null) {
            response.header("X-Cpr-Sha256", download.sha256());
        }
        return response.build();
    }

    /** The optional body of approve/reject: none, or {@code {"reason": "..."}}; anything else is a 400. */
    private DecisionBody decisionBody(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readValue(json, DecisionBody.class);
        } catch (java.io.IOException e) {
            throw ProblemException.badRequest("Bad request", "the body must be {\"reason\": \"...\"} or empty: "
                    + e.getMessage());
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private String token() {
        return CallerToken.of(headers);
    }

    private static Response relay(Upstream.Reply reply) {
        return Response.status(reply.status()).type(reply.contentType()).entity(reply.body()).build();
    }

    /** Body of approve and reject (optional). */
    public record DecisionBody(String reason) {
    }
}
