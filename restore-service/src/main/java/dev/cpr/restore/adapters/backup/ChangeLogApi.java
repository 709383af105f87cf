package dev.cpr.restore.adapters.backup;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;

/**
 * backup-service's {@code /api/v1/changelog} as a point-in-time restore reads it (Quarkus REST client, built
 * programmatically by {@link BackupServiceClient}; blocking, call it on a worker thread).
 */
@Path("/api/v1/changelog")
public interface ChangeLogApi {

    /** A stored segment as backup-service lists it (id = its first revision; sha256 of the stored bytes). */
    record SegmentEntry(long id, long firstRevision, long lastRevision, int count, String sha256, long sizeBytes,
            Instant openedAt, Instant lastChangeAt, Instant closedAt) {
    }

    /** The newest revision seen at or before {@code time}. */
    record RevisionAt(String clusterId, Instant time, long revision, Instant changedAt, long segmentId) {
    }

    @GET
    @Path("/{cluster}/segments")
    @Produces(MediaType.APPLICATION_JSON)
    List<SegmentEntry> segments(@PathParam("cluster") String cluster, @QueryParam("after") long after,
            @QueryParam("upTo") long upTo, @HeaderParam("Authorization") String authorization);

    @GET
    @Path("/{cluster}/segments/{id}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    byte[] segment(@PathParam("cluster") String cluster, @PathParam("id") long id,
            @HeaderParam("Authorization") String authorization);

    @GET
    @Path("/{cluster}/revision-at")
    @Produces(MediaType.APPLICATION_JSON)
    RevisionAt revisionAt(@PathParam("cluster") String cluster, @QueryParam("time") String time,
            @HeaderParam("Authorization") String authorization);
}
