package dev.cpr.backup.adapters.rest;

import dev.cpr.backup.app.PointsInTime;
import dev.cpr.platform.security.Role;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** {@code /api/v1/changelog}: what the change log beside the full snapshots makes restorable. */
@Path("/api/v1/changelog")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.VIEWER_NAME)
@Blocking
public class ChangeLogResource {

    private final PointsInTime pointsInTime;

    public ChangeLogResource(PointsInTime pointsInTime) {
        this.pointsInTime = pointsInTime;
    }

    @GET
    @Path("/{cluster}/points-in-time")
    @Operation(summary = "Points in time available for a cluster", description = "Each verified full snapshot, "
            + "newest first, with the revisions and time its change log covers without a break, and every gap or "
            + "overlap after it named with its revisions")
    @APIResponse(responseCode = "404", description = "the cluster is not in the inventory")
    public List<PointsInTime.PointInTime> pointsInTime(@PathParam("cluster") String cluster) {
        return pointsInTime.of(cluster);
    }
}
