package dev.cpr.backup.adapters.rest;

import dev.cpr.backup.adapters.persistence.Catalog;
import dev.cpr.backup.app.BackupCoordinator;
import dev.cpr.backup.app.BackupRemoval;
import dev.cpr.backup.app.BbrBackups;
import dev.cpr.backup.app.CopyChecks;
import dev.cpr.backup.app.Drills;
import dev.cpr.backup.domain.kind.BackupKind;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import dev.cpr.backup.domain.drill.DrillResult;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.backup.domain.v2.V2Export;
import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.platform.problem.Problem;
import dev.cpr.platform.problem.Parameters;
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
 * {@code /api/v1/backups}: trigger (etcd snapshot or bbr deployment / director backup), list (by cluster, status,
 * incident, kind), get, verify (restore drill), delete, download, the v2 keyspace export, and checking an uploaded
 * copy. Drills, checks, downloads and v2 exports are for etcd snapshots; a bbr row answers them with 409. Entries are {@link BackupUpdate}s, the same shape as the {@code cpr.backups} events.
 * Viewers read and download; operators trigger, verify, check and delete.
 */
@Path("/api/v1/backups")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.VIEWER_NAME)
@Blocking
public class BackupResource {

    private final BackupCoordinator coordinator;
    private final Drills drills;
    private final CopyChecks copyChecks;
    private final BackupRemoval removal;
    private final Catalog catalog;
    private final ArtifactStore store;
    private final BbrBackups bbr;

    public BackupResource(BackupCoordinator coordinator, Drills drills, CopyChecks copyChecks, BackupRemoval removal,
            BbrBackups bbr, Catalog catalog, ArtifactStore store) {
        this.coordinator = coordinator;
        this.drills = drills;
        this.copyChecks = copyChecks;
        this.removal = removal;
        this.bbr = bbr;
        this.catalog = catalog;
        this.store = store;
    }

    /**
     * Starts a backup of {@code cluster}: an etcd snapshot, or a bbr deployment / director backup; 202 with the
     * in-progress entry, which moves on in the background.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.OPERATOR_NAME)
    @Operation(summary = "Start a backup", description = "kind etcd-v3-snapshot (default): a streamed snapshot, then "
            + "a restore drill; bbr-deployment / bbr-director (kind: bosh clusters; director needs bosh.director): "
            + "bbr pre-backup-check, backup, checksum verification. 202 with the in-progress entry; 400 names the bad "
            + "field (cluster, kind, compression).")
    @APIResponse(responseCode = "202", description = "the in-progress entry; Location is its URL")
    @APIResponse(responseCode = "400", description = "unknown cluster, unknown kind, a bbr kind for a cluster that is "
            + "not kind: bosh, a director backup without bosh.director, compression with a bbr kind")
    public Response trigger(TriggerRequest request, UriInfo uri) {
        if (request == null) {
            throw ProblemException.badRequest("Bad request", "a JSON body {\"cluster\": \"<id>\"} is required");
        }
        BackupKind kind = kind(request.kind()).orElse(BackupKind.ETCD_V3_SNAPSHOT);
        BackupUpdate started;
        if (kind.isBbr()) {
            if (request.compression() != null) {
                throw ProblemException.badParameter("compression", "compression applies to etcd-v3-snapshot backups "
                        + "only; a " + kind.wire() + " artifact is stored as bbr writes it");
            }
            started = bbr.trigger(request.cluster(), kind);
        } else {
            started = coordinator.trigger(request.cluster(), request.compression());
        }
        return Response.accepted(started).location(URI.create(uri.getPath() + "/" + started.backupId())).build();
    }

    @GET
    @Operation(summary = "List backups, newest first", description = "Every filter is optional. restore-service asks "
            + "e.g. ?cluster=C&status=verified&kind=bbr-deployment.")
    @APIResponse(responseCode = "400", description = "unknown status or kind")
    public List<BackupUpdate> list(@QueryParam("cluster") String cluster,
            @Parameter(description = "in-progress, completed, verified, corrupt, failed") @QueryParam("status") String status,
            @QueryParam("incident") String incident,
            @Parameter(description = "etcd-v3-snapshot, bbr-deployment, bbr-director") @QueryParam("kind") String kind) {
        BackupStatus wanted;
        try {
            wanted = status == null || status.isBlank() ? null : BackupStatus.fromWire(status);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badParameter("status", e.getMessage());
        }
        return catalog.list(Parameters.clusterId("cluster", cluster).orElse(null), wanted, blankToNull(incident),
                kind(kind).orElse(null));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One backup", description = "kind, status, location (a bbr backup's: the absolute artifact "
            + "directory), createdAt, verification (what the drill or the checksum verification found, or why it "
            + "failed) and the rest of the entry")
    public BackupUpdate get(@PathParam("id") String id) {
        return catalog.find(uuid(id)).orElseThrow(() -> ProblemException.notFound("no backup " + id));
    }

    /** Runs a restore drill now and answers with the entry it left (verified or corrupt). */
    @POST
    @Path("/{id}/verify")
    @RolesAllowed(Role.OPERATOR_NAME)
    public BackupUpdate verify(@PathParam("id") String id) {
        return drills.verify(uuid(id));
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
        DrillResult result = copyChecks.checkCopy(backupId, copy);
        return new CopyCheck(id, result.verdict().name().toLowerCase(), result.detail(), result.restoredRevision(),
                result.restoredKeyCount(), result.duration().toMillis());
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response delete(@PathParam("id") String id) {
        removal.delete(uuid(id));
        return Response.noContent().build();
    }

    /**
     * Streams the stored artifact of a verified etcd snapshot (nothing unproven or corrupt is handed out for restore).
     * A bbr backup is refused with 409: its artifact is a directory of tars that {@code bbr ... restore} reads in
     * place, at the entry's {@code location}.
     */
    @GET
    @Path("/{id}/download")
    @Produces({MediaType.APPLICATION_OCTET_STREAM, Problem.MEDIA_TYPE})
    @Operation(summary = "Download a verified etcd snapshot")
    @APIResponse(responseCode = "409", description = "not verified, or a bbr backup (its artifact is a directory, "
            + "restored in place from location)")
    public Response download(@PathParam("id") String id) {
        BackupUpdate backup = verified(id);
        refuseBbr(backup, "download");
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
        refuseBbr(verified(id), "v2 keyspace export");
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

    private static void refuseBbr(BackupUpdate backup, String what) {
        if (BackupKind.isBbr(backup.kind())) {
            throw ProblemException.conflict("backup " + backup.backupId() + " is a " + backup.kind() + " backup: its "
                    + "artifact is the directory " + backup.location() + ", which bbr restores in place; there is no "
                    + what + " of it");
        }
    }

    /** Empty for a missing or blank kind; 400 naming {@code kind} for an unknown one. */
    private static java.util.Optional<BackupKind> kind(String kind) {
        if (kind == null || kind.isBlank()) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(BackupKind.fromWire(kind.trim()));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badParameter("kind", e.getMessage());
        }
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
