package dev.cpr.restore.adapters.rest;

import dev.cpr.restore.adapters.persistence.PlanRepository;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** Recovery plans: {@code GET /api/v1/recoveries[?cluster=&limit=]} and {@code GET /api/v1/recoveries/{id}}. */
@Path("/api/v1/recoveries")
@Produces(MediaType.APPLICATION_JSON)
public class RecoveryResource {

    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;

    private final PlanRepository repository;

    public RecoveryResource(PlanRepository repository) {
        this.repository = repository;
    }

    @GET
    @Operation(summary = "Recovery plans, newest first, with their steps")
    public Uni<List<RecoveryView>> list(
            @Parameter(description = "only plans of this cluster id") @QueryParam("cluster") String cluster,
            @Parameter(description = "at most this many (1-500, default 50)") @QueryParam("limit") String limit) {
        if (cluster != null && cluster.isBlank()) {
            throw ProblemException.badRequest("cluster must not be blank");
        }
        int max = parseLimit(limit);
        return repository.list(Optional.ofNullable(cluster), max)
                .map(plans -> plans.stream().map(RecoveryView::of).toList());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One recovery plan with its steps and their output")
    public Uni<RecoveryView> get(@PathParam("id") String id) {
        try {
            UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("plan id '" + id + "' is not a UUID");
        }
        return repository.find(id).map(found -> found.map(RecoveryView::of)
                .orElseThrow(() -> ProblemException.notFound("no recovery plan " + id)));
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
        throw ProblemException.badRequest("limit must be a number from 1 to " + MAX_LIMIT + ", was '" + limit + "'");
    }
}
