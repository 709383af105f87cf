package dev.cpr.backup.adapters.rest;

import dev.cpr.backup.adapters.persistence.Catalog;
import dev.cpr.backup.app.BackupCoordinator;
import dev.cpr.backup.app.BackupProblem;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import io.smallrye.common.annotation.Blocking;
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
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.List;
import java.util.UUID;

/**
 * {@code /api/v1/backups}: trigger, list, get, verify (restore drill), delete, download. Entries are
 * {@link BackupUpdate}s, the same shape as the {@code cpr.backups} events.
 */
@Path("/api/v1/backups")
@Produces(MediaType.APPLICATION_JSON)
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
    public Response trigger(TriggerRequest request, UriInfo uri) {
        if (request == null) {
            throw BackupProblem.badRequest("a JSON body {\"cluster\": \"<id>\"} is required");
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
            throw BackupProblem.badRequest(e.getMessage());
        }
        return catalog.list(blankToNull(cluster), wanted, blankToNull(incident));
    }

    @GET
    @Path("/{id}")
    public BackupUpdate get(@PathParam("id") String id) {
        return catalog.find(uuid(id)).orElseThrow(() -> BackupProblem.notFound("no backup " + id));
    }

    /** Runs a restore drill now and answers with the entry it left (verified or corrupt). */
    @POST
    @Path("/{id}/verify")
    public BackupUpdate verify(@PathParam("id") String id) {
        return coordinator.verify(uuid(id));
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        coordinator.delete(uuid(id));
        return Response.noContent().build();
    }

    /** Streams the stored artifact of a verified backup (nothing unproven or corrupt is handed out for restore). */
    @GET
    @Path("/{id}/download")
    @Produces({MediaType.APPLICATION_OCTET_STREAM, Problem.MEDIA_TYPE})
    public Response download(@PathParam("id") String id) {
        BackupUpdate backup = get(id);
        if (backup.status() != BackupStatus.VERIFIED) {
            throw BackupProblem.conflict("backup " + id + " is " + backup.status().wire()
                    + ": only verified backups can be downloaded");
        }
        java.nio.file.Path file = store.localPath(backup.location())
                .orElseThrow(() -> BackupProblem.notFound("the artifact of backup " + id + " is missing"));
        return Response.ok(file.toFile(), MediaType.APPLICATION_OCTET_STREAM)
                .header("Content-Disposition", "attachment; filename=\"" + file.getFileName() + "\"")
                .header("X-Cpr-Sha256", backup.sha256())
                .header("X-Cpr-Backup-Status", backup.status().wire())
                .build();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw BackupProblem.notFound("no backup " + id + " (not a backup id)");
        }
    }
}
