package dev.cpr.backup.adapters.rest;

import dev.cpr.backup.adapters.persistence.Catalog;
import dev.cpr.backup.app.BackupCoordinator;
import dev.cpr.backup.domain.drill.DrillResult;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.backup.domain.v2.V2Export;
import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.platform.problem.Problem;
import dev.cpr.platform.problem.ProblemException;
import dev.cpr.platform.security.Role;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.UUID;

/**
 * {@code /api/v1/backups}: trigger, list, get, verify (restore drill), delete, download, the v2 keyspace export, and
 * checking an uploaded copy. Entries are {@link BackupUpdate}s, the same shape as the {@code cpr.backups} events.
 * Viewers read and download; operators trigger, verify, check and delete.
 */
@Path("/api/v1/backups")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.VIEWER_NAME)
@Blocking
public class BackupResource {

    private final BackupCoordinator coordinator;
    private final Catalog catalog;
    private final ArtifactStore store;

    public BackupResource(BackupCoordinator coordinator, Catalog catalog, ArtifactStore store) {
        this.coordinator = coordinator;
        this.catalog = catalog;
        this.store = store;
    }

    /** Starts a snapshot of {@code cluster}; 202 with the in-progress entry, which moves on in the background. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response trigger(TriggerRequest request, UriInfo uri) {
        if (request == null) {
            throw ProblemException.badRequest("Bad request", "a JSON body {\"cluster\": \"<id>\"} is required");
        }
        BackupUpdate started = coordinator.trigger(request.cluster(), request.compression());
        return Response.accepted(started).location(URI.create(uri.getPath() + "/" + started.backupId())).build();
    }

    @GET
    public List<BackupUpdate> list(@QueryParam("cluster") String cluster, @QueryParam("status") String status,
            @QueryParam("incident") String incident) {
        BackupStatus wanted;
        try {
            wanted = status == null || status.isBlank() ? null : BackupStatus.fromWire(status);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badParameter("status", e.getMessage());
        }
        return catalog.list(blankToNull(cluster), wanted, blankToNull(incident));
    }

    @GET
    @Path("/{id}")
    public BackupUpdate get(@PathParam("id") String id) {
        return catalog.find(uuid(id)).orElseThrow(() -> ProblemException.notFound("no backup " + id));
    }

    /** Runs a restore drill now and answers with the entry it left (verified or corrupt). */
    @POST
    @Path("/{id}/verify")
    @RolesAllowed(Role.OPERATOR_NAME)
    public BackupUpdate verify(@PathParam("id") String id) {
        return coordinator.verify(uuid(id));
    }

    /**
     * Checks an uploaded copy of backup {@code id}'s artifact (the body, as stored: gzip if the backup is) with the same
     * restore drill the backup itself gets, against the catalog's record of {@code id}. The catalog is not changed.
     * 200 with the verdict ({@code verified}, {@code corrupt} or {@code inconclusive}) and why.
     */
    @POST
    @Path("/{id}/check")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @RolesAllowed(Role.OPERATOR_NAME)
    public CopyCheck check(@PathParam("id") String id, InputStream copy) {
        UUID backupId = uuid(id);
        DrillResult result = coordinator.checkCopy(backupId, copy);
        return new CopyCheck(id, result.verdict().name().toLowerCase(), result.detail(), result.restoredRevision(),
                result.restoredKeyCount(), result.duration().toMillis());
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response delete(@PathParam("id") String id) {
        coordinator.delete(uuid(id));
        return Response.noContent().build();
    }

    /** Streams the stored artifact of a verified backup (nothing unproven or corrupt is handed out for restore). */
    @GET
    @Path("/{id}/download")
    @Produces({MediaType.APPLICATION_OCTET_STREAM, Problem.MEDIA_TYPE})
    public Response download(@PathParam("id") String id) {
        BackupUpdate backup = verified(id);
        return artifact(id, backup.location(), MediaType.APPLICATION_OCTET_STREAM)
                .header("X-Cpr-Sha256", backup.sha256())
                .header("X-Cpr-Backup-Status", backup.status().wire())
                .build();
    }

    /**
     * Streams the etcd v2 keyspace export of a verified backup (clusters with {@code backup.v2-data: true}): the v2 API's
     * {@code GET /v2/keys/?recursive=true} answer, for {@code V2KeyspaceRestorer}. 404 when the backup has none.
     */
    @GET
    @Path("/{id}/v2")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    public Response v2(@PathParam("id") String id) {
        verified(id);
        V2Export v2 = catalog.v2(uuid(id)).orElseThrow(() -> ProblemException.notFound("backup " + id
                + " has no v2 keyspace export (its cluster is not marked backup.v2-data: true)"));
        return artifact(id, v2.location(), MediaType.APPLICATION_JSON)
                .header("X-Cpr-Sha256", v2.sha256())
                .header("X-Cpr-V2-Key-Count", v2.keyCount())
                .header("X-Cpr-V2-Etcd-Index", v2.etcdIndex())
                .build();
    }

    private BackupUpdate verified(String id) {
        BackupUpdate backup = get(id);
        if (backup.status() != BackupStatus.VERIFIED) {
            throw ProblemException.conflict("backup " + id + " is " + backup.status().wire()
                    + ": only verified backups can be downloaded");
        }
        return backup;
    }

    private Response.ResponseBuilder artifact(String id, String location, String type) {
        String name = location.substring(location.lastIndexOf('/') + 1);
        java.util.Optional<java.nio.file.Path> file = store.localPath(location);
        Response.ResponseBuilder response;
        if (file.isPresent()) {
            response = Response.ok(file.get().toFile(), type);
        } else {
            InputStream in;
            long size;
            try {
                size = store.size(location);
                in = store.open(location);
            } catch (java.nio.file.NoSuchFileException e) {
                throw ProblemException.notFound("the artifact of backup " + id + " is missing");
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the artifact of backup " + id + ": " + e.getMessage(), e);
            }
            StreamingOutput body = out -> {
                try (in) {
                    in.transferTo(out);
                }
            };
            response = Response.ok(body, type).header("Content-Length", size);
        }
        return response.header("Content-Disposition", "attachment; filename=\"" + name + "\"");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no backup " + id + " (not a backup id)");
        }
    }

    /** The answer of {@code POST /{id}/check}. */
    public record CopyCheck(String backupId, String verdict, String detail, Long restoredRevision, Long restoredKeyCount,
            long durationMs) {
    }
}
