package dev.cpr.backup.adapters.rest;

import dev.cpr.backup.app.ChangeLogChain;
import dev.cpr.backup.app.PointsInTime;
import dev.cpr.contracts.changelog.Segment;
import dev.cpr.platform.problem.Problem;
import dev.cpr.platform.problem.ProblemException;
import dev.cpr.platform.security.Role;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * {@code /api/v1/changelog}: what the change log beside the full snapshots makes restorable, and the chain itself
 * as a point-in-time restore reads it (segments of a revision range, one segment's stored bytes, the revision at a
 * moment). Viewers read all of it.
 */
@Path("/api/v1/changelog")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.VIEWER_NAME)
@Blocking
public class ChangeLogResource {

    private final PointsInTime pointsInTime;
    private final ChangeLogChain chain;

    public ChangeLogResource(PointsInTime pointsInTime, ChangeLogChain chain) {
        this.pointsInTime = pointsInTime;
        this.chain = chain;
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

    @GET
    @Path("/{cluster}/segments")
    @Operation(summary = "Stored segments of a revision range", description = "Every stored segment holding a "
            + "revision after 'after' up to 'upTo', in revision order, each with its id (its first revision), first and "
            + "last revision, change count, sha256 of the stored bytes, size and time range. A restore from a snapshot "
            + "at revision r asks ?after=r&upTo=<target>; it checks the chain's continuity itself.")
    @APIResponse(responseCode = "400", description = "after or upTo not a revision, or upTo not after 'after'")
    @APIResponse(responseCode = "404", description = "the cluster is not in the inventory")
    public List<ChangeLogChain.SegmentEntry> segments(@PathParam("cluster") String cluster,
            @Parameter(description = "the last revision the caller has (exclusive); default 0") @QueryParam("after")
            String after,
            @Parameter(description = "the last revision wanted (inclusive); default: all") @QueryParam("upTo")
            String upTo) {
        return chain.segments(cluster, revision("after", after), revision("upTo", upTo));
    }

    @GET
    @Path("/{cluster}/segments/{id}")
    @Produces({MediaType.APPLICATION_OCTET_STREAM, Problem.MEDIA_TYPE})
    @Operation(summary = "One segment's stored bytes", description = "The segment as stored (format "
            + "CPRCHG version 1, its own sha256 at its end); X-Cpr-Sha256 is the catalog's sha256 of these bytes, "
            + "which the reader checks before using any change of it")
    @APIResponse(responseCode = "404", description = "unknown cluster or segment, or its bytes are missing")
    public Response segment(@PathParam("cluster") String cluster,
            @Parameter(description = "the segment's first revision") @PathParam("id") String id) {
        Long first = revision("id", id);
        if (first == null) {
            throw ProblemException.badParameter("id", "id must be a segment's first revision");
        }
        ChangeLogChain.SegmentBytes stored = chain.bytes(cluster, first);
        Segment segment = stored.segment();
        return Response.ok(stored.bytes(), MediaType.APPLICATION_OCTET_STREAM)
                .header("X-Cpr-Sha256", segment.sha256())
                .header("X-Cpr-First-Revision", segment.firstRevision())
                .header("X-Cpr-Last-Revision", segment.lastRevision())
                .header("X-Cpr-Change-Count", segment.count())
                .header("Content-Disposition", "attachment; filename=\"" + segment.fileName() + "\"")
                .build();
    }

    @GET
    @Path("/{cluster}/revision-at")
    @Operation(summary = "The revision at a moment", description = "The newest revision whose change the log saw at "
            + "or before 'time', read from the changes' own times inside the segment the time index points at")
    @APIResponse(responseCode = "400", description = "time missing or not an ISO-8601 instant")
    @APIResponse(responseCode = "404", description = "unknown cluster, or no change recorded at or before the time")
    public ChangeLogChain.RevisionAt revisionAt(@PathParam("cluster") String cluster,
            @Parameter(description = "ISO-8601 with an offset, e.g. 2026-12-03T07:15:00Z") @QueryParam("time")
            String time) {
        return chain.revisionAt(cluster, instant(time));
    }

    /** A revision parameter: absent or blank is null; anything but a whole number is a 400 naming it. */
    static Long revision(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.badParameter(parameter, parameter + " must be a revision (a whole number), was '"
                    + (value.length() > 40 ? value.substring(0, 40) + "…" : value) + "'");
        }
    }

    static Instant instant(String value) {
        if (value == null || value.isBlank()) {
            throw ProblemException.badParameter("time", "time is required: an ISO-8601 instant such as "
                    + "2026-12-03T07:15:00Z");
        }
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.badParameter("time", "time must be an ISO-8601 instant with an offset, such as "
                    + "2026-12-03T07:15:00Z, was '" + (value.length() > 40 ? value.substring(0, 40) + "…" : value)
                    + "'");
        }
    }
}
