package dev.cpr.healthmonitor.adapters.rest;

import dev.cpr.platform.problem.Parameters;
import dev.cpr.platform.problem.ProblemException;
import dev.cpr.platform.security.Role;
import jakarta.annotation.security.RolesAllowed;

import dev.cpr.healthmonitor.adapters.persistence.IncidentRepository;
import dev.cpr.healthmonitor.adapters.persistence.IncidentState;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

@RolesAllowed(Role.VIEWER_NAME)
@Path("/api/v1/incidents")
@Produces(MediaType.APPLICATION_JSON)
public class IncidentsResource {

    private final IncidentRepository repository;

    public IncidentsResource(IncidentRepository repository) {
        this.repository = repository;
    }

    @GET
    @WithSession
    @Operation(summary = "Incidents, newest first, optionally of one cluster and/or in one state")
    public Uni<List<IncidentView>> list(
            @Parameter(description = "cluster id") @QueryParam("cluster") String cluster,
            @Parameter(description = "OPEN or RESOLVED") @QueryParam("state") String state) {
        Optional<IncidentState> wanted = parseState(state);
        return repository.search(Parameters.clusterId("cluster", cluster), wanted)
                .map(rows -> rows.stream().map(IncidentView::of).toList());
    }

    @GET
    @Path("/{id}")
    @WithSession
    @Operation(summary = "One incident")
    public Uni<IncidentView> get(@PathParam("id") String id) {
        return repository.findById(id)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("no incident with id '" + id + "'"))
                .map(IncidentView::of);
    }

    private static Optional<IncidentState> parseState(String state) {
        if (state == null || state.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(IncidentState.valueOf(state.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badParameter("state", "query parameter 'state' must be one of "
                    + Arrays.toString(IncidentState.values()) + ", was '" + state + "'");
        }
    }
}
