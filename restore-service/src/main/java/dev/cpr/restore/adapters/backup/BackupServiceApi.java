package dev.cpr.restore.adapters.backup;

import dev.cpr.contracts.backup.BackupUpdate;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.File;
import java.util.List;

/**
 * The endpoints of backup-service's REST API restore-service calls (Quarkus REST client, built
 * programmatically with the configured base URL; blocking, call it on a worker thread).
 */
@Path("/api/v1/backups")
public interface BackupServiceApi {

    /** Entries newest first. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    List<BackupUpdate> list(@QueryParam("cluster") String cluster, @QueryParam("status") String status,
            @HeaderParam("Authorization") String authorization);

    /**
     * Entries of one kind ({@code bbr-deployment}, {@code bbr-director}, {@code etcd-v3-snapshot}), newest first. An
     * older backup-service ignores {@code kind}: callers filter by kind themselves as well.
     */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    List<BackupUpdate> listKind(@QueryParam("cluster") String cluster, @QueryParam("status") String status,
            @QueryParam("kind") String kind, @HeaderParam("Authorization") String authorization);

    /** The backups taken for one incident, newest first. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    List<BackupUpdate> forIncident(@QueryParam("cluster") String cluster, @QueryParam("incident") String incident,
            @HeaderParam("Authorization") String authorization);

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    BackupUpdate get(@PathParam("id") String id, @HeaderParam("Authorization") String authorization);

    /** The v2 keyspace export beside a verified backup (404 when it has none); headers X-Cpr-Sha256, X-Cpr-V2-Key-Count. */
    @GET
    @Path("/{id}/v2")
    @Produces(MediaType.APPLICATION_JSON)
    org.jboss.resteasy.reactive.RestResponse<File> v2(@PathParam("id") String id,
            @HeaderParam("Authorization") String authorization);

    /** The stored artifact of a verified backup, streamed by the client to a temporary file. */
    @GET
    @Path("/{id}/download")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    File download(@PathParam("id") String id, @HeaderParam("Authorization") String authorization);
}
