package dev.cpr.restore.adapters.rest;

import dev.cpr.platform.problem.Parameters;
import dev.cpr.platform.problem.ProblemException;
import dev.cpr.platform.security.Role;
import dev.cpr.restore.adapters.persistence.RehearsalRepository;
import dev.cpr.restore.app.Rehearsals;
import dev.cpr.restore.domain.rehearsal.Rehearsal;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * Quorum-restore rehearsals (issue #14):
 * <ul>
 *   <li>{@code GET /api/v1/rehearsals[?cluster=&limit=]} (viewer): recorded rehearsals, newest first: the snapshot
 *       restored, the revision reached, the RTO, each step's duration, the verdict and why</li>
 *   <li>{@code POST /api/v1/clusters/{id}/rehearsals} (operator): rehearses the cluster's quorum restore now on a
 *       scratch cluster and answers when it has ended (201 with the record, PASSED or FAILED); 404 for a cluster not
 *       in the inventory, 400 for one whose quorum loss is not an {@code etcd-quorum-restore}, 409 while another
 *       rehearsal runs on this replica</li>
 * </ul>
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class RehearsalResource {

    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;

    private final RehearsalRepository repository;
    private final Rehearsals rehearsals;

    public RehearsalResource(RehearsalRepository repository, Rehearsals rehearsals) {
        this.repository = repository;
        this.rehearsals = rehearsals;
    }

    @GET
    @Path("/rehearsals")
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "Quorum-restore rehearsals, newest first: RTO, steps' durations, revision reached, verdict")
    public Uni<List<Rehearsal>> list(
            @Parameter(description = "only rehearsals of this cluster id") @QueryParam("cluster") String cluster,
            @Parameter(description = "at most this many (1-500, default 50)") @QueryParam("limit") String limit) {
        if (cluster != null && cluster.isBlank()) {
            throw ProblemException.badParameter("cluster", "cluster must not be blank");
        }
        return repository.list(Parameters.clusterId("cluster", cluster), parseLimit(limit));
    }

    @POST
    @Path("/clusters/{id}/rehearsals")
    @Blocking
    @RolesAllowed(Role.OPERATOR_NAME)
    @Operation(summary = "Rehearse the cluster's quorum restore now on a scratch cluster (answers when it has ended)")
    public Response rehearse(@Parameter(description = "the cluster id, as in the inventory") @PathParam("id") String id) {
        Rehearsal done = rehearsals.rehearse(Parameters.clusterId("id", id).orElseThrow(
                () -> ProblemException.badParameter("id", "cluster id must not be blank")));
        return Response.created(URI.create("/api/v1/rehearsals?cluster=" + done.clusterId())).entity(done).build();
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
